package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaStatus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static io.flambeau.backend.cuda.ffm.CudaDriver_h.*;
import static io.flambeau.backend.cuda.ffm.StatusCheck.check;

/**
 * The CUDA graph calls of {@link FfmCudaApi}: stream capture, instantiation, launch, destruction.
 * Their symbols are optional ({@link CudaDriver_h#GRAPH_SYMBOLS}); a driver without them refuses
 * these calls with {@code CUDA_ERROR_NOT_SUPPORTED} and the missing names.
 */
final class GraphCalls {
    private volatile Boolean available;

    private void require(String call) {
        Boolean a = available;
        if (a == null) available = a = CudaDriver_h.missingGraphSymbols().isEmpty();
        if (!a) {
            List<String> missing = CudaDriver_h.missingGraphSymbols();
            throw StatusCheck.refuse(CudaStatus.NOT_SUPPORTED, call, "the CUDA driver lacks " + missing
                    + " (CUDA graphs need a driver for CUDA 11.4 or newer)");
        }
    }

    void beginCapture(long stream, int mode) {
        require("cuStreamBeginCapture_v2");
        check(cuStreamBeginCapture_v2(MemorySegment.ofAddress(stream), mode), "cuStreamBeginCapture_v2");
    }

    long endCapture(long stream) {
        require("cuStreamEndCapture");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            int status = cuStreamEndCapture(MemorySegment.ofAddress(stream), out);
            long graph = out.get(C_POINTER, 0).address();
            if (status != CudaStatus.SUCCESS && graph != 0) cuGraphDestroy(MemorySegment.ofAddress(graph));
            check(status, "cuStreamEndCapture");
            return graph;
        }
    }

    long instantiate(long graph) {
        require("cuGraphInstantiateWithFlags");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            check(cuGraphInstantiateWithFlags(out, MemorySegment.ofAddress(graph), 0L), "cuGraphInstantiateWithFlags");
            return out.get(C_POINTER, 0).address();
        }
    }

    void launch(long exec, long stream) {
        require("cuGraphLaunch");
        check(cuGraphLaunch(MemorySegment.ofAddress(exec), MemorySegment.ofAddress(stream)), "cuGraphLaunch");
    }

    void destroyExec(long exec) {
        require("cuGraphExecDestroy");
        check(cuGraphExecDestroy(MemorySegment.ofAddress(exec)), "cuGraphExecDestroy");
    }

    void destroyGraph(long graph) {
        require("cuGraphDestroy");
        check(cuGraphDestroy(MemorySegment.ofAddress(graph)), "cuGraphDestroy");
    }
}
