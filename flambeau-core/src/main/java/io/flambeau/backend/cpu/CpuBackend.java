package io.flambeau.backend.cpu;

import io.flambeau.backend.Backend;
import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.CounterRng;
import io.flambeau.backend.DeviceLosses;
import io.flambeau.backend.FirstLayerGrads;
import io.flambeau.backend.HostAddressAction;
import io.flambeau.backend.OptimizerStep;
import io.flambeau.backend.ReduceOp;
import io.flambeau.backend.Storage;
import io.flambeau.backend.UnaryOp;
import io.flambeau.backend.View;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;

import static java.lang.ref.Reference.reachabilityFence;

/**
 * The pure-Java backend: complete for every op and dtype, and the reference for the others.
 *
 * <p>Every entry point ends with a {@code reachabilityFence} on the views it was handed: a kernel
 * works on the arrays, and without the fence the JIT may let a storage become unreachable while
 * its array is still being read or written — and then the GC's notice would hand the array to the
 * pool ({@link CpuArrayPool}) under the running kernel (or free off-heap memory under it).
 *
 * <p>Each entry point takes one of two routes: the array kernels when every operand is an array
 * storage, the piecewise route ({@link CpuPieces}, {@link PiecewiseReduce}, {@link PiecewiseMatmul})
 * when any operand lives off-heap ({@link CpuStorage}) or is a view too long for int indices.
 */
public final class CpuBackend implements Backend, DeviceLosses, FirstLayerGrads {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override
    public Device device() { return Device.CPU; }

    @Override
    public Storage allocate(DType dtype, long numel) { return CpuStorage.allocate(dtype, numel); }

    @Override
    public Storage upload(Object hostArray) {
        if (hostArray != null && hostArray.getClass().isArray()
                && java.lang.reflect.Array.getLength(hostArray) > CpuStorage.OFF_HEAP_ABOVE) {
            CpuStorage borrowed = CpuStorage.borrow(hostArray);
            CpuStorage s = CpuStorage.allocateOffHeap(borrowed.dtype(), borrowed.size());
            PieceCopy.scatter(hostArray, dense(s, new long[] {s.size()}), 0, (int) s.size());
            return s;
        }
        return CpuStorage.adopt(switch (hostArray) {
            case float[] a -> a.clone();
            case double[] a -> a.clone();
            case long[] a -> a.clone();
            case boolean[] a -> a.clone();
            default -> hostArray; // adopt() reports the unsupported type
        });
    }

    @Override
    public boolean onHostArray(String op, View v, HostArrayAction action) {
        check(op, v);
        CpuStorage s = (CpuStorage) v.storage();
        if (!v.isContiguous() || v.numel() == 0 || s.offHeap()) return false; // off-heap: the caller copies
        action.run(s.array(), Math.toIntExact(v.offset()), Math.toIntExact(v.numel()));
        reachabilityFence(v);
        return true;
    }

    /** Off-heap memory only: an array storage has no stable address (its array may move). */
    @Override
    public boolean withHostAddress(String op, View v, HostAddressAction action) {
        check(op, v);
        CpuStorage s = (CpuStorage) v.storage();
        if (!v.isContiguous() || v.numel() == 0 || !s.offHeap()) return false;
        long size = v.dtype().byteSize();
        action.run(s.seg.address() + v.offset() * size, v.numel() * size);
        reachabilityFence(v); // v holds the storage, whose cleaner would free the memory
        return true;
    }

    /** Adam and AdamW in one pass per parameter ({@link CpuOptimizerStep}); other rules are declined. */
    @Override
    public boolean fusedOptimizerStep(OptimizerStep step) {
        for (int i = 0; i < step.params().size(); i++) {
            check("optimizer step", step.params().get(i), step.grads().get(i));
            for (View v : step.state().get(i)) if (v != null) check("optimizer step", v);
        }
        // the fused step's loops are Vector API code: a JVM without the vector module runs the
        // optimizer's per-tensor ops (on the scalar kernels) instead
        boolean done = CpuVectors.ENABLED && CpuOptimizerStep.apply(step);
        reachabilityFence(step);
        return done;
    }

    @Override
    public boolean fusesOptimizerSteps() { return true; }

    // ---- fused classification losses (CpuLosses): one pass over the rows each way ----------------

    @Override
    public void marginHingeTerms(View scores, View targets, double delta, View out) {
        check("margin_hinge", scores, targets, out);
        CpuLosses.marginHingeTerms(scores, targets, delta, out);
        reachabilityFence(scores); reachabilityFence(targets); reachabilityFence(out);
    }

    @Override
    public void marginHingeTermsBackward(View scores, View targets, double delta, View grad, View out) {
        check("margin_hinge_backward", scores, targets, grad, out);
        CpuLosses.marginHingeTermsBackward(scores, targets, delta, grad, out);
        reachabilityFence(scores); reachabilityFence(targets); reachabilityFence(grad); reachabilityFence(out);
    }

    @Override
    public void crossEntropyTerms(View scores, View targets, long ignoreIndex, boolean summed, View out) {
        check("cross_entropy", scores, targets, out);
        CpuLosses.crossEntropyTerms(scores, targets, ignoreIndex, summed, out);
        reachabilityFence(scores); reachabilityFence(targets); reachabilityFence(out);
    }

    @Override
    public void crossEntropyTermsBackward(View scores, View targets, long ignoreIndex, boolean summed, View grad,
                                          View out) {
        check("cross_entropy_backward", scores, targets, grad, out);
        CpuLosses.crossEntropyTermsBackward(scores, targets, ignoreIndex, summed, grad, out);
        reachabilityFence(scores); reachabilityFence(targets); reachabilityFence(grad); reachabilityFence(out);
    }

    @Override
    public Object download(View v) {
        check("download", v);
        if (v.numel() > Integer.MAX_VALUE - 8) {
            throw new io.flambeau.core.DataException("a host array holds at most 2^31-9 elements; this tensor has "
                    + v.numel() + ": read it a slice at a time (t.get(Index.slice(start, stop)))");
        }
        if (CpuPieces.needed(v)) {
            Object out = CpuPieces.download(v);
            reachabilityFence(v);
            return out;
        }
        // the array becomes the user's: a fresh one, never a storage's (which a pool may recycle)
        Object out = CpuStorage.freshArray(v.dtype(), (int) v.numel());
        CpuElementwise.copy(v, dense(CpuStorage.borrow(out), v.shape()));
        reachabilityFence(v);
        return out;
    }

    @Override
    public void fill(View dst, double value) {
        check("fill_", dst);
        if (CpuPieces.needed(dst)) CpuPieces.fill(dst, value);
        else CpuElementwise.fill(dst, value);
        reachabilityFence(dst);
    }

    @Override
    public void copy(View src, View dst) {
        check("copy_", src, dst);
        if (CpuPieces.needed(src, dst)) CpuPieces.copy(src, dst);
        else CpuElementwise.copy(src, dst);
        reachabilityFence(src); reachabilityFence(dst);
    }

    @Override
    public void unary(UnaryOp op, View x, View out, double p, double q) {
        check(op.name(), x, out);
        if (CpuPieces.needed(x, out)) CpuPieces.unary(op, x, out, p, q);
        else CpuElementwise.unary(op, x, out, p, q);
        reachabilityFence(x); reachabilityFence(out);
    }

    @Override
    public void binary(BinaryOp op, View a, View b, View out) {
        check(op.name(), a, b, out);
        if (CpuPieces.needed(a, b, out)) CpuPieces.binary(op, a, b, out);
        else CpuElementwise.binary(op, a, b, out);
        reachabilityFence(a); reachabilityFence(b); reachabilityFence(out);
    }

    @Override
    public void binaryScalar(BinaryOp op, View a, double scalar, boolean reversed, View out) {
        check(op.name(), a, out);
        // the scalar as a one-element array seen at a's shape with stride 0 (transient, untracked)
        CpuStorage s = CpuStorage.borrow(CpuStorage.freshArray(a.dtype(), 1));
        s.setD(0, scalar);
        if (CpuPieces.needed(a, out)) {
            CpuPieces.binaryScalar(op, a, s, reversed, out);
            reachabilityFence(a); reachabilityFence(out);
            return;
        }
        View sv = new View(s, 0, a.shape(), new long[a.rank()]);
        if (reversed) CpuElementwise.binary(op, sv, a, out);
        else CpuElementwise.binary(op, a, sv, out);
        reachabilityFence(a); reachabilityFence(out);
    }

    @Override
    public void where(View cond, View a, View b, View out) {
        check("where", cond, a, b, out);
        if (CpuPieces.needed(cond, a, b, out)) CpuPieces.where(cond, a, b, out);
        else CpuElementwise.where(cond, a, b, out);
        reachabilityFence(cond); reachabilityFence(a); reachabilityFence(b); reachabilityFence(out);
    }

    @Override
    public void reduce(ReduceOp op, View x, int dim, View out) {
        check(op.name(), x, out);
        if (CpuPieces.needed(x, out)) PiecewiseReduce.reduce(op, x, dim, out);
        else CpuReduce.reduce(op, x, dim, out);
        reachabilityFence(x); reachabilityFence(out);
    }

    @Override
    public void matmul(View a, View b, View out) {
        check("matmul", a, b, out);
        if (CpuPieces.needed(a, b, out)) PiecewiseMatmul.matmul(a, b, out);
        else CpuMatmul.matmul(a, b, out);
        reachabilityFence(a); reachabilityFence(b); reachabilityFence(out);
    }

    @Override
    public void matmulBias(View a, View b, View bias, View out) {
        linear(a, b, bias, out, false);
    }

    /**
     * The float32 linear layer's forms store each element through the ReLU as they write the
     * product (one pass over the output instead of two); other dtypes and biases take the default.
     */
    @Override
    public void matmulBiasRelu(View a, View b, View bias, View out) {
        linear(a, b, bias, out, true);
    }

    /** {@code out = a·b + bias}, then with {@code relu} through the ReLU: {@link #matmulBias}, {@link #matmulBiasRelu}. */
    private void linear(View a, View b, View bias, View out, boolean relu) {
        check("matmul", a, b, bias, out);
        if (CpuPieces.needed(a, b, bias, out)) {
            PiecewiseMatmul.matmul(a, b, out);
            CpuPieces.binary(BinaryOp.ADD, out, bias, out);
            if (relu) CpuPieces.unary(UnaryOp.RELU, out, out, 0, 0);
        } else if (!CpuMatmul.matmulBias(a, b, bias, out, relu)) {
            if (relu) Backend.super.matmulBiasRelu(a, b, bias, out);
            else Backend.super.matmulBias(a, b, bias, out);
        }
        reachabilityFence(a); reachabilityFence(b); reachabilityFence(bias); reachabilityFence(out);
    }

    /**
     * One pass ({@link ReluLinearGrads}) for float32 with at most {@link ReluLinearGrads#MAX_K}
     * input features, g and out dense; a JVM without the vector module, or other layouts, take the
     * caller's unfused route.
     */
    @Override
    public boolean reluLinearGrads(View g, View out, View a, View gbias, View gb) {
        if (gbias != null) check("relu_linear_backward", gbias);
        check("relu_linear_backward", g, out, a, gb);
        long[] as = a.shape(), gs = g.shape();
        boolean fits = CpuVectors.ENABLED && g.dtype() == DType.FLOAT32 && out.dtype() == DType.FLOAT32
                && a.dtype() == DType.FLOAT32 && gb.dtype() == DType.FLOAT32
                && (gbias == null || gbias.dtype() == DType.FLOAT32 && gbias.isContiguous())
                && !CpuPieces.needed(g, out, a, gb) && (gbias == null || !CpuPieces.needed(gbias))
                && as.length == 2 && gs.length == 2 && as[1] >= 1 && as[1] <= ReluLinearGrads.MAX_K && as[0] >= 1
                && gs[1] >= 1 && g.isContiguous() && out.isContiguous() && gb.isContiguous();
        if (!fits) return false;
        ReluLinearGrads.apply((int) gs[0], (int) gs[1], (int) as[1],
                ((CpuStorage) g.storage()).f, (int) g.offset(), ((CpuStorage) out.storage()).f, (int) out.offset(),
                ((CpuStorage) a.storage()).f, (int) a.offset(), (int) a.strides()[0], (int) a.strides()[1],
                gbias == null ? null : ((CpuStorage) gbias.storage()).f, gbias == null ? 0 : (int) gbias.offset(),
                ((CpuStorage) gb.storage()).f, (int) gb.offset());
        reachabilityFence(g); reachabilityFence(out); reachabilityFence(a); reachabilityFence(gbias);
        reachabilityFence(gb);
        return true;
    }

    /**
     * Half of each core's L2 (as {@link SgemmBlocking#reportedL2Bytes} reads it, which needs no
     * Vector API: this runs when the backend is first made, on every JVM) per thread: the products split
     * a block's rows across the cores, so each core's share of the widest activation stays in its
     * own L2 beside the weights. {@code flambeau.cpu.rowBlockBytes} overrides it (0: no blocks).
     */
    private static final long ROW_BLOCK_BYTES = Long.getLong("flambeau.cpu.rowBlockBytes",
            SgemmBlocking.reportedL2Bytes() / 2 * Math.max(1, CpuParallel.parallelism()));

    @Override
    public long rowBlockBytes() { return ROW_BLOCK_BYTES; }

    @Override
    public void take(View src, View offsets, View out) {
        check("index", src, offsets, out);
        if (CpuPieces.needed(src, offsets, out)) CpuPieces.take(src, offsets, out);
        else CpuIndexing.take(src, offsets, out);
        reachabilityFence(src); reachabilityFence(offsets); reachabilityFence(out);
    }

    @Override
    public void put(View dst, View offsets, View values, boolean accumulate) {
        check("index_put_", dst, offsets, values);
        if (CpuPieces.needed(dst, offsets, values)) CpuPieces.put(dst, offsets, values, accumulate);
        else CpuIndexing.put(dst, offsets, values, accumulate);
        reachabilityFence(dst); reachabilityFence(offsets); reachabilityFence(values);
    }

    @Override
    public void random(CounterRng.Kind kind, View out, long seed, long counter, double a, double b) {
        check("random", out);
        if (CpuPieces.needed(out)) CpuPieces.random(kind, out, seed, counter, a, b);
        else randomDense(kind, (CpuStorage) out.storage(), (int) out.offset(), (int) out.numel(), seed, counter, a, b);
        reachabilityFence(out);
    }

    /** Elements {@code [base, base + n)} of an array storage from counters {@code counter + i}. */
    static void randomDense(CounterRng.Kind kind, CpuStorage o, int base, int n, long seed, long counter,
                            double a, double b) {
        for (int i = 0; i < n; i++) {
            long c = counter + i;
            switch (kind) {
                case UNIFORM -> o.setD(base + i, o.dtype() == DType.FLOAT32
                        ? a + (b - a) * CounterRng.uniform(seed, c) : a + (b - a) * CounterRng.uniformDouble(seed, c));
                case NORMAL -> o.setD(base + i, a + b * CounterRng.normal(seed, c));
                case INTEGER -> o.setL(base + i, (long) a + (long) Math.floor(CounterRng.uniformDouble(seed, c) * (b - a)));
            }
        }
    }

    @Override
    public void synchronize() {}

    static View dense(Storage s, long[] shape) {
        return View.dense(s, shape);
    }

    private static void check(String op, View... views) {
        for (View v : views) {
            Storage s = v.storage();
            if (!(s instanceof CpuStorage)) {
                throw new DeviceException(op + ": expected a tensor on cpu, got one on " + s.device());
            }
            s.checkOpen(op);
        }
    }
}
