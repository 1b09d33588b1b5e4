package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaMisuseException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.backend.cuda.checked.CheckedCudaApi;
import io.flambeau.backend.cuda.jcuda.JCudaApi;
import io.flambeau.backend.cuda.sim.SimulatedCuda;
import io.flambeau.backend.cuda.sim.SimulatedCudaConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One misuse, one refusal, whatever the binding: each case below runs against the simulated device,
 * the FFM binding over the loopback libcuda and the JCuda binding over the same loopback, each behind
 * the checked seam, and must throw a {@link CudaMisuseException} with the same call, status and
 * message on all three (addresses and handle values, which differ between drivers, are compared as
 * {@code 0x?}). The simulator always runs; the loopback bindings skip with the reason when the
 * loopback cannot be built or JCuda cannot load.
 */
class MisuseOnEveryBindingTest {
    private static final String PTX = """
            .version 7.0
            .target sm_75
            .address_size 64

            .visible .entry fill(.param .u64 p, .param .u32 n)
            {
                ret;
            }
            """;

    /** What each case starts from: two devices, device 0 current, live and dead memory and handles. */
    record Fixture(CheckedCudaApi api, long ctx0, long ctx1, long live, long freed, long stream, long destroyedStream,
                   long destroyedEvent, long function, long unloadedModule, long deadFunction, long otherDeviceMemory,
                   long otherDeviceStream, long blas) {
        static Fixture open(CudaApi binding) {
            CheckedCudaApi api = CheckedCudaApi.of(binding);
            api.init();
            long ctx1 = api.primaryCtxRetain(1);
            api.ctxSetCurrent(ctx1);
            long otherMemory = api.memAlloc(64);
            long otherStream = api.streamCreate();
            long ctx0 = api.primaryCtxRetain(0);
            api.ctxSetCurrent(ctx0);
            long live = api.memAlloc(64);
            long freed = api.memAlloc(64);
            api.memFree(freed);
            long stream = api.streamCreate();
            long destroyed = api.streamCreate();
            api.streamDestroy(destroyed);
            long event = api.eventCreate();
            api.eventDestroy(event);
            long module = api.moduleLoadData(PTX);
            long function = api.moduleGetFunction(module, "fill");
            long unloaded = api.moduleLoadData(PTX);
            long dead = api.moduleGetFunction(unloaded, "fill");
            api.moduleUnload(unloaded);
            long blas = api.hasBlas() ? api.blasCreate() : 0;
            return new Fixture(api, ctx0, ctx1, live, freed, stream, destroyed, event, function, unloaded, dead,
                    otherMemory, otherStream, blas);
        }
    }

    /** One misuse: a name, the call and status it must be refused with, and the call itself. */
    record Case(String name, String call, int status, Misuse misuse) {
        @Override
        public String toString() { return name; }
    }

    @FunctionalInterface
    interface Misuse {
        void run(Fixture f);
    }

    static List<Case> cases() {
        int invalidValue = CudaStatus.INVALID_VALUE, invalidHandle = CudaStatus.INVALID_HANDLE;
        return List.of(
                new Case("free of an unknown pointer", "cuMemFree_v2", invalidValue, f -> f.api.memFree(0xDEAD_BEEF_000L)),
                new Case("double free", "cuMemFree_v2", invalidValue, f -> f.api.memFree(f.freed)),
                new Case("copy into freed memory", "cuMemcpyHtoD_v2", invalidValue,
                        f -> f.api.memcpyHtoD(f.freed, ByteBuffer.allocate(16), 16)),
                new Case("copy running past the allocation", "cuMemcpyDtoH_v2", invalidValue,
                        f -> f.api.memcpyDtoH(ByteBuffer.allocate(64), f.live + 32, 64)),
                new Case("memset past the allocation", "cuMemsetD8Async", invalidValue,
                        f -> f.api.memsetD8Async(f.live, (byte) 0, 65, f.stream)),
                new Case("unaligned 32-bit memset", "cuMemsetD32Async", invalidValue,
                        f -> f.api.memsetD32Async(f.live + 2, 0, 1, 0)),
                new Case("device copy from freed memory", "cuMemcpyDtoDAsync_v2", invalidValue,
                        f -> f.api.memcpyDtoDAsync(f.live, f.freed, 8, f.stream)),
                new Case("null host buffer", "cuMemcpyHtoD_v2", invalidValue, f -> f.api.memcpyHtoD(f.live, null, 8)),
                new Case("host buffer too small", "cuMemcpyDtoH_v2", invalidValue,
                        f -> f.api.memcpyDtoH(ByteBuffer.allocate(8), f.live, 16)),
                new Case("read-only host destination", "cuMemcpyDtoHAsync_v2", invalidValue,
                        f -> f.api.memcpyDtoHAsync(ByteBuffer.allocate(8).asReadOnlyBuffer(), f.live, 8, f.stream)),
                new Case("host-address copy running past the allocation", "cuMemcpyHtoD_v2", invalidValue,
                        f -> f.api.memcpyHtoDFromAddress(f.live + 32, 0x1000, 64)),
                new Case("host-address copy from freed memory", "cuMemcpyDtoH_v2", invalidValue,
                        f -> f.api.memcpyDtoHToAddress(0x1000, f.freed, 8)),
                new Case("null host address as the source", "cuMemcpyHtoD_v2", invalidValue,
                        f -> f.api.memcpyHtoDFromAddress(f.live, 0, 8)),
                new Case("null host address as the destination", "cuMemcpyDtoH_v2", invalidValue,
                        f -> f.api.memcpyDtoHToAddress(0, f.live, 8)),
                new Case("empty allocation", "cuMemAlloc_v2", invalidValue, f -> f.api.memAlloc(0)),
                new Case("destroyed stream", "cuStreamSynchronize", invalidHandle, f -> f.api.streamSynchronize(f.destroyedStream)),
                new Case("stream destroyed twice", "cuStreamDestroy_v2", invalidHandle, f -> f.api.streamDestroy(f.destroyedStream)),
                new Case("stream of another context", "cuMemcpyDtoDAsync_v2", invalidHandle,
                        f -> f.api.memcpyDtoDAsync(f.live, f.live + 8, 8, f.otherDeviceStream)),
                new Case("destroyed event", "cuEventRecord", invalidHandle, f -> f.api.eventRecord(f.destroyedEvent, 0)),
                new Case("unknown event", "cuEventSynchronize", invalidHandle, f -> f.api.eventSynchronize(777)),
                new Case("function of an unloaded module", "cuModuleGetFunction", invalidHandle,
                        f -> f.api.moduleGetFunction(f.unloadedModule, "fill")),
                new Case("module unloaded twice", "cuModuleUnload", invalidHandle, f -> f.api.moduleUnload(f.unloadedModule)),
                new Case("launch of a dead function", "cuLaunchKernel", invalidHandle,
                        f -> f.api.launchKernel(f.deadFunction, 1, 1, 1, 1, 1, 1, 0, 0, new KernelArgs().ptr(f.live).u32(4))),
                new Case("too few kernel arguments", "cuLaunchKernel", invalidValue,
                        f -> f.api.launchKernel(f.function, 1, 1, 1, 1, 1, 1, 0, f.stream, new KernelArgs().ptr(f.live))),
                new Case("kernel argument of the wrong size", "cuLaunchKernel", invalidValue,
                        f -> f.api.launchKernel(f.function, 1, 1, 1, 1, 1, 1, 0, f.stream, new KernelArgs().ptr(f.live).u64(4))),
                new Case("freed memory as a kernel argument", "cuLaunchKernel", invalidValue,
                        f -> f.api.launchKernel(f.function, 1, 1, 1, 1, 1, 1, 0, f.stream, new KernelArgs().ptr(f.freed).u32(4))),
                new Case("memory of another device as a kernel argument", "cuLaunchKernel", invalidValue,
                        f -> f.api.launchKernel(f.function, 1, 1, 1, 1, 1, 1, 0, f.stream,
                                new KernelArgs().ptr(f.otherDeviceMemory).u32(4))),
                new Case("unknown context", "cuCtxSetCurrent", CudaStatus.INVALID_CONTEXT, f -> f.api.ctxSetCurrent(0x1234)),
                new Case("context released more often than retained", "cuDevicePrimaryCtxRelease_v2", CudaStatus.INVALID_CONTEXT,
                        f -> {
                            f.api.primaryCtxRelease(1);
                            f.api.primaryCtxRelease(1);
                        }),
                new Case("memory of a released context", "cuMemcpyDtoH_v2", invalidValue,
                        f -> {
                            f.api.primaryCtxRelease(1);
                            f.api.memcpyDtoH(ByteBuffer.allocate(8), f.otherDeviceMemory, 8);
                        }),
                new Case("unknown executable graph", "cuGraphLaunch", invalidHandle, f -> f.api.graphLaunch(0x4242, f.stream)),
                new Case("unknown graph", "cuGraphInstantiateWithFlags", invalidHandle, f -> f.api.graphInstantiate(0x4242)),
                new Case("destroyed cuBLAS handle", "cublasSetStream_v2", invalidHandle,
                        f -> {
                            f.api.blasDestroy(f.blas);
                            f.api.blasSetStream(f.blas, f.stream);
                        }),
                new Case("GEMM output past its allocation", "cublasSgemm_v2", invalidValue,
                        f -> f.api.blasSgemm(f.blas, CudaApi.CUBLAS_OP_N, CudaApi.CUBLAS_OP_N, 4, 5, 2, 1f,
                                f.live, 4, f.live, 2, 0f, f.live, 4)),
                new Case("any call after close", "cuMemFree_v2", CudaStatus.DEINITIALIZED,
                        f -> {
                            f.api.close();
                            f.api.memFree(f.live);
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyBindingRefusesItTheSameWay(Case c) {
        Refusal sim = refusal(c, () -> new SimulatedCuda(SimulatedCudaConfig.builder().deviceCount(2).build()));
        assertEquals(c.call, sim.call, sim.message);
        assertEquals(c.status, sim.code, sim.message);

        Loopback.require();
        Refusal ffm = onLoopback(c, FfmCudaApiFactory::openNew);
        assertEquals(sim, ffm, "the FFM binding over the loopback refuses it as the simulator does");

        assumeJCudaLoads();
        Refusal viaJCuda = onLoopback(c, JCudaApi::open);
        assertEquals(sim, viaJCuda, "the JCuda binding over the loopback refuses it as the simulator does");
    }

    /**
     * The host-address copies move bytes in place on every binding: 64 bytes of C heap go to the
     * device and come back, through an offset, into a second block, exactly.
     */
    @org.junit.jupiter.api.Test
    void hostAddressCopiesRoundTripOnEveryBinding() {
        roundTrip(new SimulatedCuda(SimulatedCudaConfig.builder().deviceCount(2).build()));
        Loopback.require();
        Loopback.configure(2, 13000, Loopback.DEFAULT_MEMORY);
        try {
            roundTrip(FfmCudaApiFactory.openNew());
        } finally {
            Loopback.configure(0, 13000, Loopback.DEFAULT_MEMORY);
        }
        assumeJCudaLoads();
        Loopback.configure(2, 13000, Loopback.DEFAULT_MEMORY);
        try {
            roundTrip(JCudaApi.open());
        } finally {
            Loopback.configure(0, 13000, Loopback.DEFAULT_MEMORY);
        }
    }

    private static void roundTrip(CudaApi binding) {
        Fixture f = Fixture.open(binding);
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment in = arena.allocate(64), out = arena.allocate(64);
            for (int i = 0; i < 64; i++) in.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (3 * i + 1));
            f.api.memcpyHtoDFromAddress(f.live, in.address(), 64);
            f.api.memcpyDtoHToAddress(out.address() + 8, f.live + 16, 48);
            for (int i = 0; i < 48; i++) {
                assertEquals((byte) (3 * (i + 16) + 1), out.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i + 8),
                        binding.getClass().getSimpleName() + " byte " + i);
            }
            assertEquals(0, out.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 7), "nothing written before the address");
        } finally {
            f.api.close();
        }
    }

    /** JCuda needs its JNI libraries; where they do not load, the case ends (skipped, with the reason) here. */
    private static void assumeJCudaLoads() {
        Loopback.configure(1, 13000, Loopback.DEFAULT_MEMORY);
        try {
            JCudaApi.open();
        } catch (RuntimeException | LinkageError e) {
            Assumptions.abort("JCuda cannot load here, so its binding is not compared: " + e.getMessage());
        } finally {
            Loopback.configure(0, 13000, Loopback.DEFAULT_MEMORY);
        }
    }

    private static Refusal onLoopback(Case c, Supplier<CudaApi> binding) {
        Loopback.configure(2, 13000, Loopback.DEFAULT_MEMORY);
        try {
            return refusal(c, binding);
        } finally {
            Loopback.configure(0, 13000, Loopback.DEFAULT_MEMORY);
        }
    }

    /** What the refusal says, with addresses and handle values blanked. */
    record Refusal(String type, String call, int code, String message) {}

    private static Refusal refusal(Case c, Supplier<CudaApi> binding) {
        Fixture f = Fixture.open(binding.get());
        try {
            CudaException e = assertThrows(CudaException.class, () -> c.misuse.run(f), c.name);
            assertInstanceOf(CudaMisuseException.class, e, "refused by the checked seam, not by the driver: " + e.getMessage());
            assertTrue(e.getMessage().startsWith(c.call + " failed: "), e.getMessage());
            return new Refusal(e.getClass().getName(), e.call(), e.code(), e.getMessage().replaceAll("0x[0-9a-f]+", "0x?"));
        } finally {
            try {
                f.api.close();
            } catch (RuntimeException e) {
                fail("closing after '" + c.name + "' failed: " + e.getMessage(), e);
            }
        }
    }
}
