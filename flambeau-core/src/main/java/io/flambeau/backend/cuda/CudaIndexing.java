package io.flambeau.backend.cuda;

import io.flambeau.backend.AdvancedIndex;
import io.flambeau.backend.View;
import io.flambeau.backend.cuda.api.KernelArgs;

/**
 * Host side of {@code kernels/index.ptx}: gather ({@code take}) and scatter ({@code put}) by absolute
 * element offsets. Offsets, values and outputs are made dense first when they are not (a broadcast
 * value becomes a real array), so the kernels only walk dense arrays.
 *
 * <p>Advanced indexing runs as one generated kernel each way ({@link IndexKernels}): the index
 * tensors are read where they lie (broadcast, strided), bounds are checked in the kernel and a
 * violation goes to the {@link DeviceErrorRecord}, so nothing waits for the host.
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

    /** The put mode of {@code kernels/index.ptx} for a destination dtype. */
    private static int putMode(io.flambeau.core.DType t, boolean accumulate) {
        int size = t.byteSize();
        if (!accumulate) return size == 1 ? 0 : size == 4 ? 1 : 2;
        return switch (t) {
            case FLOAT32 -> 3;
            case FLOAT64 -> 4;
            case INT64 -> 5;
            case BOOL -> 6;
        };
    }

    private void launchPut(View dst, View idx, View vals, boolean accumulate, long n) {
        int mode = putMode(dst.dtype(), accumulate);
        KernelArgs args = new KernelArgs()
                .ptr(dst.storage().dataPtr())
                .ptr(address(idx))
                .ptr(address(vals))
                .u64(n)
                .u32(mode);
        KernelCache k = backend.kernels();
        k.launch1d(k.shipped("index.ptx", "put"), n, args);
    }

    void gather(AdvancedIndex ix, View out, DeviceErrorRecord errors) {
        launchIndexed(ix, out, false, out.dtype().byteSize(), errors);
    }

    void scatter(AdvancedIndex ix, View values, boolean accumulate, DeviceErrorRecord errors) {
        launchIndexed(ix, values, true, putMode(ix.base().dtype(), accumulate), errors);
    }

    private void launchIndexed(AdvancedIndex ix, View data, boolean scatter, int mode, DeviceErrorRecord errors) {
        long n = ix.numel();
        if (n == 0) return;
        int count = ix.indices().length;
        long[][] strides = new long[2 + count][];
        strides[0] = data.strides();
        strides[1] = ix.base().strides();
        for (int k = 0; k < count; k++) strides[2 + k] = ix.indices()[k].strides();
        StridedLayout layout = StridedLayout.of(ix.shape(), strides);
        IndexKernels spec = new IndexKernels(scatter, mode, layout.rank(), count, layout.needsWideIndex());
        KernelCache k = backend.kernels();
        KernelCache.Kernel kernel = k.generated(spec, spec.kernelName(), spec::emit);
        KernelArgs args = new KernelArgs().u64(n);
        args.ptr(data.storage().dataPtr()).u64(data.offset());
        args.ptr(ix.base().storage().dataPtr()).u64(ix.base().offset());
        for (View idx : ix.indices()) args.ptr(idx.storage().dataPtr()).u64(idx.offset());
        args.longs(atLeastOne(layout.shape())); // a rank-0 launch still passes one-element tables
        for (int j = 0; j < 2 + count; j++) args.longs(atLeastOne(layout.strides(j)));
        for (int j = 0; j < count; j++) args.s64(ix.sizes()[j]).s64(ix.strides()[j]);
        args.ptr(errors.arm()).u32(errors.site(ix.op(), ix.dims()));
        k.launch1d(kernel, n, args);
    }

    private static long[] atLeastOne(long[] v) {
        return v.length == 0 ? new long[1] : v;
    }

    private static long address(View v) {
        return v.storage().dataPtr() + v.offset() * v.dtype().byteSize();
    }
}
