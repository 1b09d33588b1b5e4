package io.flambeau.backend.cuda;

import io.flambeau.backend.ReduceOp;
import io.flambeau.backend.View;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.core.DType;

/**
 * Host side of {@code kernels/reduce.ptx}: reductions along one dim (one segment per output element)
 * and over all elements (two stages: chunks into partial results, then the partials).
 *
 * <p>Inputs the kernel cannot address directly are first copied densely: an all-elements reduction
 * of a strided view, and an along-dim reduction whose outer dims do not collapse to 8. Outputs of a
 * dtype other than the reduction's own (a sum of int64 into float, say) go through a scratch tensor
 * and a cast; MEAN of integers reduces a float64 copy.
 */
final class CudaReduce {
    private static final String FILE = "reduce.ptx";
    private static final int MAX_OUTER_DIMS = 8;
    private static final int MAX_BLOCK = 256;
    /** All-element reductions up to this size run in one block. */
    private static final long ONE_BLOCK_LIMIT = 4096;
    private static final long NO_LIMIT = 1L << 62;
    /** Float32 sums and means of all elements from this size on take {@link #denseSum}. */
    static final long DENSE_SUM_MIN = 1L << 15;

    private final CudaBackend backend;

    CudaReduce(CudaBackend backend) {
        this.backend = backend;
    }

    void reduce(ReduceOp op, View x, int dim, View out) {
        if (op == ReduceOp.MEAN && !x.dtype().isFloating()) {
            try (CudaStorage wide = backend.scratch(DType.FLOAT64, x.numel())) {
                View w = CudaBackend.dense(wide, x.shape());
                backend.copy(x, w);
                reduce(op, w, dim, out);
            }
            return;
        }
        DType natural = op.isArg() ? DType.INT64 : x.dtype();
        if (out.dtype() != natural) {
            try (CudaStorage tmp = backend.scratch(natural, out.numel())) {
                View t = CudaBackend.dense(tmp, out.shape());
                reduce(op, x, dim, t);
                backend.copy(t, out);
            }
            return;
        }
        if (dim < 0) all(op, x, out);
        else alongDim(op, x, dim, out);
    }

    private static int mode(ReduceOp op) {
        return switch (op) {
            case SUM, MEAN -> 0;
            case MAX, ARGMAX -> 1;
            case MIN, ARGMIN -> 2;
        };
    }

    private void alongDim(ReduceOp op, View x, int dim, View out) {
        long len = x.shape()[dim];
        StridedLayout outer = StridedLayout.of(out.shape(), remove(x.strides(), dim), out.strides());
        if (outer.rank() > MAX_OUTER_DIMS) {
            try (CudaStorage dense = backend.scratch(x.dtype(), x.numel())) {
                View d = CudaBackend.dense(dense, x.shape());
                backend.copy(x, d);
                alongDim(op, d, dim, out);
            }
            return;
        }
        long nOut = outer.numel();
        if (nOut == 0) return;
        if (len == 0) {
            emptyResult(op, out);
            return;
        }
        Launch l = new Launch(op, x.dtype().isFloating(), x.storage().dataPtr(), x.offset(), code(x.dtype()), out);
        l.nOut = nOut;
        l.len = len;
        l.stride = x.strides()[dim];
        l.divisor = op == ReduceOp.MEAN ? len : 0;
        l.shape = pad(outer.shape(), 1);
        l.xst = pad(outer.strides(0), 0);
        l.ost = pad(outer.strides(1), 0);
        int grid = (int) Math.min(nOut, 1 << 16);
        launch(l, grid, blockFor(len));
    }

    private void all(ReduceOp op, View x, View out) {
        long n = x.numel();
        if (n == 0) {
            emptyResult(op, out);
            return;
        }
        if (!StridedLayout.of(x.shape(), x.strides()).dense()) {
            try (CudaStorage dense = backend.scratch(x.dtype(), n)) {
                View d = CudaBackend.dense(dense, x.shape());
                backend.copy(x, d);
                all(op, d, out);
            }
            return;
        }
        double divisor = op == ReduceOp.MEAN ? n : 0;
        if (n <= ONE_BLOCK_LIMIT) {
            Launch l = new Launch(op, x.dtype().isFloating(), x.storage().dataPtr(), x.offset(), code(x.dtype()), out);
            l.len = n;
            l.divisor = divisor;
            launch(l, 1, blockFor(n));
            return;
        }
        if ((op == ReduceOp.SUM || op == ReduceOp.MEAN) && x.dtype() == DType.FLOAT32 && n >= DENSE_SUM_MIN) {
            long start = x.storage().dataPtr() + 4 * x.offset();
            if (start % 16 == 0) {
                denseSum(start, n, divisor, out);
                return;
            }
        }
        long groups = Math.min((n + ONE_BLOCK_LIMIT - 1) / ONE_BLOCK_LIMIT, 1024);
        long chunk = (n + groups - 1) / groups;
        groups = (n + chunk - 1) / chunk;
        CachingAllocator alloc = backend.allocator();
        CachingAllocator.Block values = alloc.allocate(groups * 8), positions = alloc.allocate(groups * 8);
        try {
            boolean floating = x.dtype().isFloating();
            Launch s1 = new Launch(op, floating, x.storage().dataPtr(), x.offset(), code(x.dtype()), null);
            s1.outv = values.ptr();
            s1.outcode = 1; // f64 or s64 partials
            s1.outi = positions.ptr();
            s1.nOut = groups;
            s1.len = chunk;
            s1.segmul = chunk;
            s1.limit = n;
            s1.xst = pad(new long[] {chunk}, 0);
            s1.shape = pad(new long[] {groups}, 1);
            s1.ost = pad(new long[] {1}, 0);
            launch(s1, (int) groups, MAX_BLOCK);
            Launch s2 = new Launch(op, floating, values.ptr(), 0, 1, out);
            s2.inidx = positions.ptr();
            s2.len = groups;
            s2.divisor = divisor;
            launch(s2, 1, blockFor(groups));
        } finally {
            alloc.free(values);
            alloc.free(positions);
        }
    }

    /**
     * The sum (or mean, {@code divisor > 0}) of {@code n} contiguous float32 elements from the
     * 16-byte aligned address {@code start}: {@code sum_dense_f32} adds 16-byte vectors, two loads in
     * flight per thread, in as many blocks as the device keeps resident (8 of 256 threads per
     * multiprocessor, at most 1024), and {@code reduce_float} adds their f64 partials. The generic
     * stage 1 loads one element per thread at a time, which leaves a large GPU's memory mostly idle
     * (about 1 TB/s against 3.4 TB/s for an add on an H200).
     */
    private void denseSum(long start, long n, double divisor, View out) {
        long vectors = n / 4;
        int resident = Math.min(8 * backend.context().multiprocessors, 1024);
        int groups = (int) Math.max(1, Math.min(resident, (vectors + 2L * MAX_BLOCK - 1) / (2L * MAX_BLOCK)));
        CachingAllocator alloc = backend.allocator();
        CachingAllocator.Block partials = alloc.allocate(groups * 8L);
        try {
            KernelCache kernels = backend.kernels();
            kernels.launch(kernels.shipped(FILE, "sum_dense_f32"), groups, 1, 1, MAX_BLOCK, 1, 1, 0,
                    new KernelArgs().ptr(start).u64(n).ptr(partials.ptr()));
            Launch s2 = new Launch(ReduceOp.SUM, true, partials.ptr(), 0, 1, out);
            s2.len = groups;
            s2.divisor = divisor;
            launch(s2, 1, blockFor(groups));
        } finally {
            alloc.free(partials);
        }
    }

    /** What the CPU backend leaves for an empty reduction: sums 0, mean NaN, extremes 0, positions -1. */
    private void emptyResult(ReduceOp op, View out) {
        double v = switch (op) {
            case MEAN -> Double.NaN;
            case ARGMAX, ARGMIN -> -1;
            default -> 0;
        };
        backend.fill(out, v);
    }

    /** Element code of a reduction input/output: 0 for the narrow type of the family (f32, bool). */
    private static int code(DType t) {
        return t == DType.FLOAT32 || t == DType.BOOL ? 0 : 1;
    }

    /** The parameters of one reduce launch, defaulting to a single segment of a dense input. */
    private static final class Launch {
        /** Float family (f32/f64 inputs, f64 partials) or int family (bool/int64 inputs, s64 partials). */
        final boolean floatFamily;
        final int mode;
        final long x, xoff;
        final int xcode;
        long inidx, outv, outoff, outi;
        int outcode;
        long nOut = 1, len, stride = 1, segmul, limit = NO_LIMIT;
        double divisor;
        long[] shape = pad(new long[0], 1), xst = pad(new long[0], 0), ost = pad(new long[0], 0);

        Launch(ReduceOp op, boolean floatFamily, long x, long xoff, int xcode, View out) {
            this.floatFamily = floatFamily;
            this.mode = mode(op);
            this.x = x;
            this.xoff = xoff;
            this.xcode = xcode;
            if (out != null) {
                this.outoff = out.offset();
                if (op.isArg()) {
                    this.outi = out.storage().dataPtr();
                } else {
                    this.outv = out.storage().dataPtr();
                    this.outcode = code(out.dtype());
                }
            }
        }
    }

    private void launch(Launch l, int grid, int block) {
        String entry = l.floatFamily ? "reduce_float" : "reduce_int";
        KernelArgs a = new KernelArgs()
                .ptr(l.x).u64(l.xoff).u32(l.xcode).ptr(l.inidx)
                .ptr(l.outv).u32(l.outcode).u64(l.outoff).ptr(l.outi)
                .u32(l.mode).u64(l.nOut).u64(l.len).s64(l.stride).u64(l.segmul).u64(l.limit).f64(l.divisor)
                .longs(l.shape).longs(l.xst).longs(l.ost);
        KernelCache kernels = backend.kernels();
        kernels.launch(kernels.shipped(FILE, entry), grid, 1, 1, block, 1, 1, 0, a);
    }

    /** Block size: a power of two covering the segment, between one warp and {@link #MAX_BLOCK}. */
    static int blockFor(long len) {
        int b = 32;
        while (b < MAX_BLOCK && b < len) b <<= 1;
        return b;
    }

    private static long[] pad(long[] dims, long fill) {
        long[] r = new long[MAX_OUTER_DIMS];
        java.util.Arrays.fill(r, fill);
        System.arraycopy(dims, 0, r, MAX_OUTER_DIMS - dims.length, dims.length);
        return r;
    }

    private static long[] remove(long[] a, int dim) {
        long[] r = new long[a.length - 1];
        for (int i = 0, j = 0; i < a.length; i++) if (i != dim) r[j++] = a[i];
        return r;
    }
}
