package io.flambeau.backend.cuda.ffm;

import java.util.function.IntSupplier;

/**
 * Owner of one long-lived driver or cuBLAS object (stream, event, module, cuBLAS handle): its
 * native value, the context it belongs to, and the destroy call that pairs with its create.
 * Closing it runs that call once; a handle whose context the driver already destroyed is
 * {@link #abandon() abandoned} instead, since destroying it again would touch freed driver state.
 */
final class NativeHandle implements AutoCloseable {
    /** What a handle is, and the word messages use for it. */
    enum Kind {
        STREAM("stream"), EVENT("event"), MODULE("module"), FUNCTION("kernel function"), BLAS("cuBLAS handle");

        final String word;

        Kind(String word) { this.word = word; }
    }

    final Kind kind;
    final long value;
    final long context;
    /** For functions: the module that owns it; else 0. */
    final long parent;
    /** For functions: the kernel name; else null. */
    final String name;
    private final String destroyCall;
    private final IntSupplier destroy;
    private boolean closed;

    NativeHandle(Kind kind, long value, long context, long parent, String name, String destroyCall, IntSupplier destroy) {
        this.kind = kind;
        this.value = value;
        this.context = context;
        this.parent = parent;
        this.name = name;
        this.destroyCall = destroyCall;
        this.destroy = destroy;
    }

    /** Runs the destroy call (once); a failure is a typed exception naming that call. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (destroy == null) return;
        int status = destroy.getAsInt();
        if (kind == Kind.BLAS) StatusCheck.checkBlas(status, destroyCall, null);
        else StatusCheck.check(status, destroyCall);
    }

    /** Marks the handle gone without a native call (its context, and so the object, no longer exists). */
    synchronized void abandon() { closed = true; }

    @Override
    public String toString() {
        return kind.word + (name != null ? " '" + name + "'" : "") + " 0x" + Long.toHexString(value);
    }
}
