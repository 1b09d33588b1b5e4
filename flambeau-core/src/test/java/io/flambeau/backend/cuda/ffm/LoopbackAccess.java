package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.CudaBackend;
import io.flambeau.backend.cuda.api.CudaApi;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;

/**
 * The loopback driver's test controls ({@link Loopback}, package-private here) for tests outside this
 * package: the JCuda binding's tests and the binding benchmark run against the same loopback
 * libraries, in the same JVM, as the FFM binding's tests.
 */
public final class LoopbackAccess {
    /** Default memory per loopback device, as in the FFM binding tests. */
    public static final long DEFAULT_MEMORY = Loopback.DEFAULT_MEMORY;

    /** Runs launched kernels for the loopback; see {@code Loopback.KernelExecutor}. */
    public interface Executor {
        default int load(long module, String ptx, StringBuilder log) { return 0; }

        default void unload(long module) {}

        int launch(long module, String kernel, int[] launch, long stream, MemorySegment kernelParams);
    }

    private LoopbackAccess() {}

    /**
     * Builds the loopback (when needed) and binds its controls; returns the folder holding
     * {@code libcuda.so.1}, {@code libcublas.so.12} and {@code .13}. Skips the calling test (a JUnit
     * assumption, with the reason) when gcc or cuda.h is missing.
     */
    public static Path require() {
        Loopback.require();
        return LoopbackLibrary.require();
    }

    /** Resets the loopback: {@code devices} devices (0: cuInit reports no device), a driver version, memory each. */
    public static void configure(int devices, int driverVersion, long memoryPerDevice) {
        Loopback.configure(devices, driverVersion, memoryPerDevice);
    }

    /** Installs (or with null removes) the executor that runs launched kernels. */
    public static void execute(Executor e) {
        Loopback.execute(e == null ? null : new Loopback.KernelExecutor() {
            @Override
            public int load(long module, String ptx, StringBuilder log) { return e.load(module, ptx, log); }

            @Override
            public void unload(long module) { e.unload(module); }

            @Override
            public int launch(long module, String kernel, int[] launch, long stream, MemorySegment params) {
                return e.launch(module, kernel, launch, stream, params);
            }
        });
    }

    /** Runs launched kernels on the simulated device's PTX interpreter (what the golden suites use). */
    public static void executeOnSimulator() { Loopback.execute(SimulatorExecutor.create()); }

    /** Puts the CUDA backend over {@code api}'s device 0 behind {@code cuda:0}. */
    public static CudaBackend installCudaBackend(CudaApi api) { return CudaBackendUnderTest.install(api); }

    /** Unregisters {@code cuda:0} and closes the backend {@link #installCudaBackend} made. */
    public static void removeCudaBackend(CudaBackend backend) { CudaBackendUnderTest.remove(backend); }

    /** Makes the next call of the named driver function return {@code status}. */
    public static void failNext(String function, int status) { Loopback.failNext(function, status); }

    /** Live "allocations", "modules", "streams", "events", or "launches" run so far. */
    public static long live(String what) { return Loopback.live(what); }

    /** What the last executor call threw (it was turned into a status), or null. */
    public static Throwable lastHookFailure() { return Loopback.lastHookFailure(); }

    /** Each kernel of a PTX module with the byte size of each of its parameters, in declaration order. */
    public static Map<String, int[]> parameterSizes(String ptx) {
        Map<String, int[]> out = new java.util.LinkedHashMap<>();
        PtxSignature.parse(ptx).forEach((name, sig) ->
                out.put(name, sig.params().stream().mapToInt(PtxSignature.Param::size).toArray()));
        return out;
    }
}
