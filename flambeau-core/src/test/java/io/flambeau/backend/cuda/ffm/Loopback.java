package io.flambeau.backend.cuda.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The test's controls over the loopback driver (the {@code flb_*} functions of loopback.h) and the
 * Java side of its hooks: module loads and kernel launches arrive here as FFM upcalls and go to the
 * installed {@link KernelExecutor}. The upcall stubs are made once; installing an executor only
 * swaps the Java target. An executor that throws never unwinds into C (that would kill the JVM): the
 * failure is kept in {@link #lastHookFailure()} and the driver call returns
 * {@code CUDA_ERROR_LAUNCH_FAILED}.
 */
final class Loopback {
    /** Default memory per loopback device: enough for the tests, small enough to make OOM cheap to provoke. */
    static final long DEFAULT_MEMORY = 256L << 20;

    /** Runs kernels for the loopback: a recorder in binding tests, the simulator's interpreter in conformance runs. */
    interface KernelExecutor {
        /** A module was loaded; return a CUresult, writing a JIT-style log through {@code log} on failure. */
        default int load(long module, String ptx, StringBuilder log) { return 0; }

        default void unload(long module) {}

        /**
         * Runs kernel {@code kernel} of {@code module}: {@code launch} holds grid x/y/z, block x/y/z
         * and dynamic shared bytes; {@code kernelParams} is the caller's {@code void**} (reinterpret
         * to read it). Returns a CUresult.
         */
        int launch(long module, String kernel, int[] launch, long stream, MemorySegment kernelParams);
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static SymbolLookup lookup;
    private static MethodHandle configure, setHooks, failNext, findAllocation, live;
    private static MemorySegment loadStub, unloadStub, launchStub;
    private static volatile KernelExecutor executor;
    private static volatile Throwable lastFailure;

    private Loopback() {}

    /** Builds (if needed) and binds the loopback; skips the calling test when it cannot be built. */
    static synchronized void require() {
        Path dir = LoopbackLibrary.require();
        if (lookup != null) return;
        settleDeviceSelection();
        lookup = SymbolLookup.libraryLookup(dir.resolve("libcuda.so.1"), Arena.global());
        configure = handle("flb_configure", FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_LONG));
        setHooks = handle("flb_set_hooks", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        failNext = handle("flb_fail_next", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
        findAllocation = handle("flb_find_allocation", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));
        live = handle("flb_live", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            loadStub = LINKER.upcallStub(l.findStatic(Loopback.class, "onLoad",
                    MethodType.methodType(int.class, long.class, MemorySegment.class, MemorySegment.class, long.class)),
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG), Arena.global());
            unloadStub = LINKER.upcallStub(l.findStatic(Loopback.class, "onUnload", MethodType.methodType(void.class, long.class)),
                    FunctionDescriptor.ofVoid(JAVA_LONG), Arena.global());
            launchStub = LINKER.upcallStub(l.findStatic(Loopback.class, "onLaunch",
                    MethodType.methodType(int.class, long.class, MemorySegment.class, MemorySegment.class, long.class, MemorySegment.class)),
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Lets device selection and the CUDA provider make their once-per-JVM decision now, while the
     * loopback reports no device (its state before any test configures it): a loopback device that
     * a test configures later must not become the default GPU of every other test in this JVM.
     */
    private static void settleDeviceSelection() {
        io.flambeau.Torch.defaultDevice();
        io.flambeau.Cuda.deviceCount();
    }

    private static MethodHandle handle(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(lookup.find(name).orElseThrow(() -> new AssertionError("loopback lacks " + name)), d);
    }

    /** Resets the loopback: {@code devices} devices (0: cuInit reports no device), a driver version, memory per device. */
    static void configure(int devices, int driverVersion, long memoryPerDevice) {
        try {
            configure.invokeExact(devices, driverVersion, memoryPerDevice);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        executor = null;
        lastFailure = null;
    }

    /** Installs (or with null removes) the executor that runs launched kernels. */
    static void execute(KernelExecutor e) {
        executor = e;
        try {
            if (e == null) setHooks.invokeExact(MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL);
            else setHooks.invokeExact(loadStub, unloadStub, launchStub);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Makes the next call of {@code function} return {@code status}. */
    static void failNext(String function, int status) {
        try (Arena arena = Arena.ofConfined()) {
            failNext.invokeExact(arena.allocateFrom(function), status);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code {base, size}} of the live loopback allocation holding {@code [ptr, ptr + bytes)}, or null. */
    static long[] findAllocation(long ptr, long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment base = arena.allocate(JAVA_LONG), size = arena.allocate(JAVA_LONG);
            int found = (int) findAllocation.invokeExact(ptr, bytes, base, size);
            return found == 0 ? null : new long[] {base.get(JAVA_LONG, 0), size.get(JAVA_LONG, 0)};
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Live "allocations", "modules", "streams", "events", or "launches" run so far. */
    static long live(String what) {
        try (Arena arena = Arena.ofConfined()) {
            return (long) live.invokeExact(arena.allocateFrom(what));
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** What the last executor call threw (it was turned into a status), or null. */
    static Throwable lastHookFailure() { return lastFailure; }

    // ---- upcall targets: never let an exception reach C ------------------------------------------

    private static int onLoad(long module, MemorySegment ptx, MemorySegment log, long logSize) {
        try {
            KernelExecutor e = executor;
            if (e == null) return 0;
            StringBuilder sb = new StringBuilder();
            int r = e.load(module, ptx.reinterpret(Long.MAX_VALUE).getString(0), sb);
            if (logSize > 0 && !sb.isEmpty()) {
                byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
                int n = (int) Math.min(text.length, logSize - 1);
                MemorySegment out = log.reinterpret(logSize);
                MemorySegment.copy(text, 0, out, ValueLayout.JAVA_BYTE, 0, n);
                out.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
            }
            return r;
        } catch (Throwable t) {
            lastFailure = t;
            return 218; // CUDA_ERROR_INVALID_PTX
        }
    }

    private static void onUnload(long module) {
        try {
            KernelExecutor e = executor;
            if (e != null) e.unload(module);
        } catch (Throwable t) {
            lastFailure = t;
        }
    }

    private static int onLaunch(long module, MemorySegment kernel, MemorySegment launch, long stream, MemorySegment params) {
        try {
            KernelExecutor e = executor;
            if (e == null) return 801; // CUDA_ERROR_NOT_SUPPORTED
            int[] dims = launch.reinterpret(7 * 4).toArray(JAVA_INT);
            return e.launch(module, kernel.reinterpret(Long.MAX_VALUE).getString(0), dims, stream, params);
        } catch (Throwable t) {
            lastFailure = t;
            return 719; // CUDA_ERROR_LAUNCH_FAILED
        }
    }
}
