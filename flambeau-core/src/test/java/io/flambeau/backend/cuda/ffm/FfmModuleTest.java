package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module loads: JIT logs beside numbered PTX, driver/PTX version gates, kernel lookup. */
class FfmModuleTest extends LoopbackFixture {
    @Test
    void ptxNewerThanTheDriverFailsWithTheJitLogAndTheNumberedLine() {
        String ptx = ".version 9.9\n.target sm_75\n.address_size 64\n.visible .entry k()\n{\n    ret;\n}\n";
        CudaException e = assertThrows(CudaException.class, () -> api.moduleLoadData(ptx));
        assertEquals("cuModuleLoadDataEx", e.call());
        assertEquals(CudaStatus.UNSUPPORTED_PTX_VERSION, e.code());
        assertEquals("CUDA_ERROR_UNSUPPORTED_PTX_VERSION", e.errorName());
        assertTrue(e.jitLog().contains("line 1") && e.jitLog().contains("Unsupported .version 9.9"), e.jitLog());
        assertTrue(e.getMessage().contains(">1 | .version 9.9"), "the reported line is marked:\n" + e.getMessage());
        assertTrue(e.getMessage().contains("JIT log:"), e.getMessage());
    }

    @Test
    void anOlderDriverRefusesPtxAboveItsIsa() {
        api.close();
        Loopback.configure(1, 11080, Loopback.DEFAULT_MEMORY);
        api = FfmCudaApiFactory.openNew();
        api.ctxSetCurrent(api.primaryCtxRetain(0));
        String ok = ".version 7.0\n.target sm_75\n.address_size 64\n.visible .entry k()\n{\n    ret;\n}\n";
        assertNotEquals(0, api.moduleLoadData(ok));
        CudaException e = assertThrows(CudaException.class, () -> api.moduleLoadData(ok.replace("7.0", "8.0")));
        assertTrue(e.jitLog().contains("current version is '7.8'"), e.jitLog());
    }

    @Test
    void compilerErrorsMarkTheirLinesWithContext() {
        RecordingExecutor jit = new RecordingExecutor();
        jit.failLoadStatus = CudaStatus.INVALID_PTX;
        jit.failLoadLog = "ptxas application ptx input, line 7; error   : Unknown symbol 'nope'\n"
                + "ptxas fatal   : Ptx assembly aborted due to errors";
        Loopback.execute(jit);
        StringBuilder ptx = new StringBuilder(".version 7.0\n.target sm_75\n.address_size 64\n.visible .entry k(.param .u64 p)\n{\n");
        ptx.append("    .reg .b64 %rd<2>;\n    mov.u64 %rd1, nope;\n");
        for (int i = 0; i < 60; i++) ptx.append("    // filler ").append(i).append('\n');
        ptx.append("    ret;\n}\n");
        CudaException e = assertThrows(CudaException.class, () -> api.moduleLoadData(ptx.toString()));
        assertEquals(CudaStatus.INVALID_PTX, e.code());
        assertTrue(e.getMessage().contains("> 7 |     mov.u64 %rd1, nope;"), "the reported line is marked:\n" + e.getMessage());
        assertTrue(e.getMessage().contains("  4 | .visible .entry k(.param .u64 p)"), "context lines before:\n" + e.getMessage());
        assertTrue(!e.getMessage().contains("filler 50"), "far lines are left out:\n" + e.getMessage());
        assertEquals(0, Loopback.live("modules"));
    }

    @Test
    void aTargetAboveTheDeviceIsRefused() {
        String ptx = ".version 7.0\n.target sm_90\n.address_size 64\n.visible .entry k()\n{\n    ret;\n}\n";
        CudaException e = assertThrows(CudaException.class, () -> api.moduleLoadData(ptx));
        assertEquals(CudaStatus.INVALID_PTX, e.code());
        assertTrue(e.getMessage().contains(">2 | .target sm_90"), e.getMessage());
    }

    @Test
    void anUnknownKernelNameIsNotFoundNamingTheKernel() {
        long m = api.moduleLoadData(FfmLaunchTest.FOUR);
        CudaException e = assertThrows(CudaException.class, () -> api.moduleGetFunction(m, "fourr"));
        assertEquals(CudaStatus.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("kernel 'fourr'"), e.getMessage());
        assertEquals(api.moduleGetFunction(m, "four"), api.moduleGetFunction(m, "four"), "one handle per kernel");
    }

    @Test
    void nullPtxAndNullNamesNeverReachTheDriver() {
        assertEquals(CudaStatus.INVALID_VALUE, assertThrows(CudaException.class, () -> api.moduleLoadData(null)).code());
        long m = api.moduleLoadData(FfmLaunchTest.FOUR);
        assertEquals(CudaStatus.INVALID_VALUE, assertThrows(CudaException.class, () -> api.moduleGetFunction(m, null)).code());
        assertEquals(CudaStatus.INVALID_HANDLE, assertThrows(CudaException.class, () -> api.moduleGetFunction(12345, "four")).code());
    }
}
