package io.flambeau.backend.cuda;

import io.flambeau.backend.View;
import io.flambeau.backend.cuda.api.KernelArgs;

/**
 * Host side of {@code kernels/index.ptx}: gather ({@code take}) and scatter ({@code put}) by absolute
 * element offsets. Offsets, values and outputs are made dense first when they are not (a broadcast
 * value becomes a real array), so the kernels only walk dense arrays.
 */
final class CudaIndexing {
    private final CudaBackend backend;

    CudaIndexing(CudaBackend backend) {
        this.backend = backend;
    }

    void take(View src, View offsets, View out) {
        long n = out.numel();
        if (n == 0) return;
        try (ScratchTensors tmp = new ScratchTensors(backend)) {
            View dst = out.isContiguous() ? out : tmp.empty(out.dtype(), out.shape());
            View idx = tmp.dense(offsets);
            KernelArgs args = new KernelArgs()
                    .ptr(src.storage().dataPtr())
                    .ptr(address(idx))
                    .ptr(address(dst))
                    .u64(n)
                    .u32(out.dtype().byteSize());
            KernelCache k = backend.kernels();
            k.launch1d(k.shipped("index.ptx", "take"), n, args);
            if (dst != out) backend.copy(dst, out);
        }
    }

    void put(View dst, View offsets, View values, boolean accumulate) {
        long n = offsets.numel();
        if (n == 0) return;
        try (ScratchTensors tmp = new ScratchTensors(backend)) {
            launchPut(dst, tmp.dense(offsets), tmp.dense(values), accumulate, n);
        }
    }

    private void launchPut(View dst, View idx, View vals, boolean accumulate, long n) {
        int size = dst.dtype().byteSize();
        int mode;
        if (!accumulate) {
            mode = size == 1 ? 0 : size == 4 ? 1 : 2;
        } else {
            mode = switch (dst.dtype()) {
                case FLOAT32 -> 3;
                case FLOAT64 -> 4;
                case INT64 -> 5;
                case BOOL -> 6;
            };
        }
        KernelArgs args = new KernelArgs()
                .ptr(dst.storage().dataPtr())
                .ptr(address(idx))
                .ptr(address(vals))
                .u64(n)
                .u32(mode);
        KernelCache k = backend.kernels();
        k.launch1d(k.shipped("index.ptx", "put"), n, args);
    }

    private static long address(View v) {
        return v.storage().dataPtr() + v.offset() * v.dtype().byteSize();
    }
}
