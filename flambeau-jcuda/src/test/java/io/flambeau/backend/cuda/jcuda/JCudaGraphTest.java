package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.backend.cuda.ffm.LoopbackAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * CUDA graphs through JCuda 12 and the loopback driver: a launch captured on a stream runs only when
 * the graph is launched, each time with the parameters as they were at capture (by-value arrays
 * included), and a synchronisation during the capture is refused and invalidates it.
 */
class JCudaGraphTest extends JCudaLoopbackFixture {
    private RecordedLaunches recorder;

    @BeforeEach
    void record() {
        recorder = new RecordedLaunches();
        LoopbackAccess.execute(recorder);
    }

    @Test
    void aCapturedLaunchRunsAtEachGraphLaunchWithItsCapturedParameters() {
        long f = api.moduleGetFunction(api.moduleLoadData(JCudaLaunchTest.SIXTEEN), "sixteen");
        long buf = api.memAlloc(1024);
        byte[] small = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        KernelArgs args = new KernelArgs().ptr(buf).u32(0xFFFFFFFF).f32(Float.NaN).s64(-5)
                .longs(2, 3, 4).ptr(buf + 512).s32(-7).f64(Math.PI)
                .bytes(small, 4).u32(42).u64(1L << 40).f32(-0.0f)
                .ptr(buf + 1024).u32(7).longs(12, 4, 1, 0).ptr(0);
        long stream = api.streamCreate();
        api.streamBeginCapture(stream, 2);
        api.launchKernel(f, 2, 1, 1, 64, 1, 1, 0, stream, args);
        long graph = api.streamEndCapture(stream);
        assertEquals(0, recorder.launches.size(), "captured, not run");
        long exec = api.graphInstantiate(graph);
        api.graphDestroy(graph); // the executable graph keeps what it needs
        api.graphLaunch(exec, stream);
        api.graphLaunch(exec, stream);
        assertEquals(2, recorder.launches.size());
        for (RecordedLaunches.Launch l : recorder.launches) {
            assertEquals("sixteen", l.kernel());
            assertArrayEquals(new int[] {2, 1, 1, 64, 1, 1, 0}, l.dims());
            for (int i = 0; i < args.count(); i++) assertArrayEquals(args.bytes(i), l.args().get(i), "parameter " + i);
        }
        api.graphExecDestroy(exec);
        assertEquals(0, LoopbackAccess.live("graphs"));
        api.streamDestroy(stream);
        api.memFree(buf);
    }

    @Test
    void aSynchronisationDuringACaptureIsRefusedAndInvalidatesIt() {
        long stream = api.streamCreate();
        api.streamBeginCapture(stream, 0);
        CudaException sync = assertThrows(CudaException.class, () -> api.streamSynchronize(stream));
        assertEquals(CudaStatus.STREAM_CAPTURE_UNSUPPORTED, sync.code());
        CudaException end = assertThrows(CudaException.class, () -> api.streamEndCapture(stream));
        assertEquals("cuStreamEndCapture", end.call());
        assertEquals(CudaStatus.STREAM_CAPTURE_INVALIDATED, end.code());
        api.streamSynchronize(stream);
        api.streamDestroy(stream);
        assertEquals(0, LoopbackAccess.live("graphs"));
    }
}
