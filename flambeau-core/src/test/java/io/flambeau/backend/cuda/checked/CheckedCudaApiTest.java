package io.flambeau.backend.cuda.checked;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaMisuseException;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.backend.cuda.sim.SimulatedCuda;
import io.flambeau.backend.cuda.sim.SimulatedCudaConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seam's own duties beyond refusing misuse: it adds no call, lets wrapped memory in, cleans up at close. */
class CheckedCudaApiTest {
    private static final String PTX = """
            .version 7.0
            .target sm_75
            .address_size 64
            .visible .entry fill(.param .u64 p, .param .u32 n)
            {
                ret;
            }
            """;

    /** Records the name of every call that reaches {@code sim}. */
    private static CudaApi recording(SimulatedCuda sim, List<String> calls) {
        return (CudaApi) Proxy.newProxyInstance(CudaApi.class.getClassLoader(), new Class<?>[] {CudaApi.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() != Object.class) calls.add(method.getName());
                    try {
                        return method.invoke(sim, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void everyCallReachesTheBindingOnceAndNothingElseDoes() {
        List<String> calls = new ArrayList<>();
        CheckedCudaApi api = CheckedCudaApi.of(recording(new SimulatedCuda(SimulatedCudaConfig.defaults()), calls));
        api.init();
        api.ctxSetCurrent(api.primaryCtxRetain(0));
        long d = api.memAlloc(64);
        long s = api.streamCreate();
        long f = api.moduleGetFunction(api.moduleLoadData(PTX), "fill");
        api.launchKernel(f, 1, 1, 1, 1, 1, 1, 0, s, new KernelArgs().ptr(d).u32(16));
        api.memsetD8Async(d, (byte) 1, 64, s);
        api.memcpyDtoH(ByteBuffer.allocate(64), d, 64);
        api.streamSynchronize(s);
        assertEquals(List.of("init", "primaryCtxRetain", "ctxSetCurrent", "memAlloc", "streamCreate", "moduleLoadData",
                "moduleGetFunction", "launchKernel", "memsetD8Async", "memcpyDtoH", "streamSynchronize"), calls);
        calls.clear();
        assertThrows(CudaMisuseException.class, () -> api.memcpyDtoH(ByteBuffer.allocate(64), d + 8, 64));
        assertEquals(List.of(), calls, "a refused call never reaches the binding");
    }

    @Test
    void hostAddressCopiesAreRefusedPastTheAllocationOrAtAddressZero() {
        List<String> calls = new ArrayList<>();
        CheckedCudaApi api = CheckedCudaApi.of(recording(new SimulatedCuda(SimulatedCudaConfig.defaults()), calls));
        api.init();
        api.ctxSetCurrent(api.primaryCtxRetain(0));
        long d = api.memAlloc(64);
        calls.clear();
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            long host = arena.allocate(64).address();
            CudaMisuseException past = assertThrows(CudaMisuseException.class, () -> api.memcpyHtoDFromAddress(d + 8, host, 64));
            assertEquals("cuMemcpyHtoD_v2", past.call());
            assertTrue(past.getMessage().contains("8 bytes past the end of the 64-byte allocation"), past.getMessage());
            assertThrows(CudaMisuseException.class, () -> api.memcpyDtoHToAddress(host, d + 1, 64));
            CudaMisuseException nowhere = assertThrows(CudaMisuseException.class, () -> api.memcpyDtoHToAddress(0, d, 8));
            assertTrue(nowhere.getMessage().contains("host address is null"), nowhere.getMessage());
            assertThrows(CudaMisuseException.class, () -> api.memcpyHtoDFromAddress(d, 0, 8));
            assertEquals(List.of(), calls, "a refused call never reaches the binding");
            api.memcpyHtoDFromAddress(d, host, 64);
            api.memcpyDtoHToAddress(host, d, 64);
            assertEquals(List.of("memcpyHtoDFromAddress", "memcpyDtoHToAddress"), calls);
        }
    }

    @Test
    void memoryAllocatedElsewhereIsUsableOnceAdoptedAndUntilDisowned() {
        SimulatedCuda sim = new SimulatedCuda(SimulatedCudaConfig.defaults());
        CheckedCudaApi api = CheckedCudaApi.of(sim);
        api.init();
        api.ctxSetCurrent(api.primaryCtxRetain(0));
        long foreign = sim.memAlloc(32); // another library's cuMemAlloc, not seen by the seam
        ByteBuffer host = ByteBuffer.allocate(32);
        CudaMisuseException unknown = assertThrows(CudaMisuseException.class, () -> api.memcpyDtoH(host, foreign, 32));
        assertTrue(unknown.getMessage().contains("Cuda.wrap"), unknown.getMessage());
        Runnable disown = api.adopt(foreign, 32);
        api.memcpyDtoH(host, foreign, 32);
        assertEquals(0, api.liveAllocations(), "adopted memory is not counted as the seam's own");
        disown.run();
        assertThrows(CudaMisuseException.class, () -> api.memcpyDtoH(host, foreign, 32));
        long own = api.memAlloc(64);
        api.adopt(own, 64).run(); // memory the seam already knows stays known
        api.memcpyDtoH(host, own, 32);
    }

    @Test
    void closeDestroysWhatIsLeftAndRefusesEveryCallAfter() {
        SimulatedCuda sim = new SimulatedCuda(SimulatedCudaConfig.defaults());
        CheckedCudaApi api = CheckedCudaApi.of(sim);
        api.init();
        api.ctxSetCurrent(api.primaryCtxRetain(0));
        api.memAlloc(64);
        api.streamCreate();
        api.moduleLoadData(PTX);
        assertEquals(1, api.liveAllocations());
        assertEquals(1, api.liveHandles("stream"));
        api.close();
        assertEquals(0, sim.liveAllocations(), "releasing the last context reference freed the device memory");
        assertEquals(0, api.liveHandles("stream"));
        assertThrows(CudaMisuseException.class, api::deviceCount);
        api.close(); // twice is harmless
    }
}
