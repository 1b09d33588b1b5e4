package io.flambeau.backend.cpu;

import io.flambeau.core.DataException;
import io.flambeau.core.OutOfMemoryException;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The C heap ({@code malloc}/{@code free} through the FFM linker): the memory behind off-heap CPU
 * storages. The only place in {@code backend.cpu} that calls native code.
 *
 * <p>Why not {@code Arena}: a shared arena's close synchronises with every thread (a handshake) on
 * each release, and an automatic one frees only when the collector runs. {@code malloc} memory is
 * freed exactly when its storage is released, and, like arena memory on JDK 25, is not counted
 * against {@code -XX:MaxDirectMemorySize}: an 8 GiB tensor needs no JVM flag.
 */
final class NativeHeap {
    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;
    /** Why the C heap cannot be reached (the JVM denies native access), or null. */
    private static final RuntimeException UNAVAILABLE;

    static {
        MethodHandle malloc = null, free = null;
        RuntimeException unavailable = null;
        try {
            Linker linker = Linker.nativeLinker();
            malloc = linker.downcallHandle(linker.defaultLookup().find("malloc").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            free = linker.downcallHandle(linker.defaultLookup().find("free").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        } catch (RuntimeException e) { // IllegalCallerException under --illegal-native-access=deny
            unavailable = e;
        }
        MALLOC = malloc;
        FREE = free;
        UNAVAILABLE = unavailable;
    }

    private NativeHeap() {}

    /**
     * {@code bytes} of uninitialised memory (at least one byte is asked for, so a valid address
     * comes back for an empty tensor too), as a segment of exactly {@code bytes}; a typed error
     * naming the request when the C heap refuses it.
     */
    static MemorySegment malloc(long bytes, String what) {
        if (UNAVAILABLE != null) {
            throw new DataException("cpu: a tensor of " + what + " lives off the Java heap (it holds more than a Java"
                    + " array can), and this JVM denies native access (" + UNAVAILABLE.getMessage() + "); run java with"
                    + " --enable-native-access=ALL-UNNAMED (=io.flambeau on the module path)", UNAVAILABLE);
        }
        MemorySegment p = call(bytes);
        if (p.equals(MemorySegment.NULL)) {
            System.gc(); // storages dropped without close() free their memory through a Cleaner
            try { Thread.sleep(100); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            p = call(bytes);
        }
        if (p.equals(MemorySegment.NULL)) {
            long avail = memAvailable();
            throw new OutOfMemoryException("cpu: out of memory: could not allocate " + OutOfMemoryException.bytes(bytes)
                    + " off the Java heap for " + what + (avail >= 0 ? "; the machine has " + OutOfMemoryException.bytes(avail)
                    + " available" : "") + ". Use smaller tensors, release tensors sooner (Scope, close()),"
                    + " or run on a machine with more memory", bytes, Math.max(avail, 0), null);
        }
        return p.reinterpret(bytes);
    }

    private static MemorySegment call(long bytes) {
        try {
            return (MemorySegment) MALLOC.invokeExact(Math.max(1L, bytes));
        } catch (Throwable t) {
            throw new IllegalStateException("malloc failed", t);
        }
    }

    /** Frees what {@link #malloc} returned (by address, so a cleaning action can hold a plain long). */
    static void free(long address) {
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }

    /** MemAvailable from /proc/meminfo in bytes, or -1 where there is none. */
    static long memAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
