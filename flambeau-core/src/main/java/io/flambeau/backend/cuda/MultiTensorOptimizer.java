package io.flambeau.backend.cuda;

import io.flambeau.backend.OptimizerStep;
import io.flambeau.backend.OptimizerStep.Rule;
import io.flambeau.backend.Storage;
import io.flambeau.backend.StorageScope;
import io.flambeau.backend.View;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.core.CudaGraphException;
import io.flambeau.core.DType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Optimizer updates of many parameters in one launch (a multi-tensor apply, as PyTorch's fused
 * optimizers): the kernels of {@link MultiTensorOptimizerPtx}, one launch per 32 parameters.
 *
 * <p>The parameters' and state buffers' addresses and sizes go in a device table, uploaded the
 * first time a set of addresses is seen and cached by those addresses: a training loop, whose
 * parameters and state never move, uploads it once. The gradients, which backward allocates anew
 * each step, and the hyper-parameters travel as kernel arguments, so a step uploads nothing.
 *
 * <p>Step-dependent scalars (Adam's bias corrections, Adagrad's decayed rate, SGD's first step) are
 * computed on the host in double precision exactly as the per-tensor path computes them. Inside a
 * CUDA graph capture they cannot be (a replay would repeat the captured step's values), so the
 * captured work starts with {@code mt_step_scalars}, which advances the step count kept in the
 * table's header and computes those scalars on the device (powers by repeated squaring in f64:
 * within a few ulps of the host's {@code Math.pow}, the same after rounding to float32 in all but
 * rare cases); eager steps keep that count up to date for free.
 */
final class MultiTensorOptimizer {
    private static final int MAX_TABLES = 64;

    /** A device table and the number of graphs still using it. */
    private static final class Table {
        final CudaStorage storage;
        int graphs;
        boolean evicted;

        Table(CudaStorage storage) { this.storage = storage; }
    }

    private final CudaBackend backend;
    private final Map<List<Long>, Table> tables = new LinkedHashMap<>(16, 0.75f, true);

    MultiTensorOptimizer(CudaBackend backend) {
        this.backend = backend;
    }

    /** Runs {@code s}, or returns false when a view is not a dense floating view of this device matching its parameter. */
    boolean step(OptimizerStep s) {
        DType t = s.params().isEmpty() ? null : s.params().get(0).dtype();
        if (t == null || !t.isFloating() || !eligible(s, t)) {
            if (backend.graphs().active() != null && t != null) {
                throw new CudaGraphException(s.rule() + " optimizer step during CUDA graph capture: it needs the fused"
                        + " update (dense floating parameters, gradients and state of one dtype on " + backend.device() + ")");
            }
            return false;
        }
        int rows = s.params().size();
        for (int from = 0; from < rows; from += MultiTensorOptimizerPtx.ROWS_PER_LAUNCH) {
            launch(s, t, from, Math.min(rows, from + MultiTensorOptimizerPtx.ROWS_PER_LAUNCH));
        }
        return true;
    }

    private boolean eligible(OptimizerStep s, DType t) {
        for (int i = 0; i < s.params().size(); i++) {
            View p = s.params().get(i);
            if (!usable(p, t, p.numel()) || !usable(s.grads().get(i), t, p.numel())) return false;
            for (View st : s.state().get(i)) if (st != null && !usable(st, t, p.numel())) return false;
        }
        return true;
    }

    private boolean usable(View v, DType t, long numel) {
        return v.storage() instanceof CudaStorage cs && cs.backend() == backend && v.dtype() == t && v.isContiguous()
                && v.numel() == numel && !v.storage().isClosed();
    }

    private static long address(View v) {
        return v == null ? 0 : ((CudaStorage) v.storage()).address(v.offset());
    }

    private void launch(OptimizerStep s, DType t, int from, int to) {
        backend.check(s.rule().name().toLowerCase(java.util.Locale.ROOT) + " step",
                s.params().subList(from, to).toArray(View[]::new));
        List<Long> rows = new ArrayList<>();
        rows.add((long) t.ordinal());
        rows.add((long) s.rule().ordinal());
        long maxN = 0;
        for (int i = from; i < to; i++) {
            View[] st = s.state().get(i);
            View p = s.params().get(i);
            rows.add(address(p));
            for (int k = 0; k < 3; k++) rows.add(k < st.length ? address(st[k]) : 0);
            rows.add(p.numel());
            maxN = Math.max(maxN, p.numel());
        }
        if (maxN == 0) return;
        CudaGraphCapture.Active capture = backend.graphs().active();
        Table table = table(rows, s.rule(), capture);
        long tablePtr = table.storage.dataPtr();
        KernelCache kernels = backend.kernels();
        // loaded by the first eager step, so that a capture later loads no module
        KernelCache.Kernel prepKernel = kernels.generated(MultiTensorOptimizerPtx.STEP_SCALARS,
                MultiTensorOptimizerPtx.STEP_SCALARS, MultiTensorOptimizerPtx::stepScalars);
        if (capture != null) {
            table.graphs++;
            capture.releases.add(() -> release(table));
            KernelArgs prep = new KernelArgs().ptr(tablePtr).f64(s.option("lr"))
                    .f64(s.option("beta1")).f64(s.option("beta2")).f64(s.option("lr_decay"));
            kernels.launch(prepKernel, 1, 1, 1, 1, 1, 1, 0, prep);
        }
        KernelArgs a = new KernelArgs().ptr(tablePtr).u32(capture != null ? 1 : 0).f64(s.step()).u32(flags(s));
        double[] h = scalars(s);
        for (double v : h) {
            if (t == DType.FLOAT32) a.f32((float) v);
            else a.f64(v);
        }
        for (int r = 0; r < MultiTensorOptimizerPtx.ROWS_PER_LAUNCH; r++) {
            a.ptr(from + r < to ? address(s.grads().get(from + r)) : 0);
        }
        MultiTensorOptimizerPtx.Key key = new MultiTensorOptimizerPtx.Key(s.rule(), t);
        KernelCache.Kernel k = kernels.generated(key, key.entry(), () -> MultiTensorOptimizerPtx.emit(key));
        int gx = kernels.gridFor(maxN, KernelCache.BLOCK);
        kernels.launch(k, gx, to - from, 1, KernelCache.BLOCK, 1, 1, 0, a);
    }

    /** The rule's scalars h0..h7 in double; the launch rounds them to the element type, as the per-tensor ops do. */
    private static double[] scalars(OptimizerStep s) {
        double[] h = new double[8];
        double lr = s.option("lr"), wd = s.option("weight_decay");
        switch (s.rule()) {
            case SGD -> {
                h[0] = lr;
                h[1] = s.option("momentum");
                h[2] = 1 - s.option("dampening");
                h[3] = wd;
            }
            case ADAGRAD -> {
                h[0] = lr / (1 + (s.step() - 1) * s.option("lr_decay"));
                h[1] = wd;
                h[2] = s.option("eps");
            }
            case RMSPROP -> {
                double alpha = s.option("alpha");
                h[0] = lr;
                h[1] = alpha;
                h[2] = 1 - alpha;
                h[3] = s.option("eps");
                h[4] = wd;
                h[5] = s.option("momentum");
            }
            case ADAM -> {
                double beta1 = s.option("beta1"), beta2 = s.option("beta2");
                h[0] = lr / (1 - Math.pow(beta1, s.step()));
                h[1] = Math.sqrt(1 - Math.pow(beta2, s.step()));
                h[2] = beta1;
                h[3] = 1 - beta1;
                h[4] = beta2;
                h[5] = 1 - beta2;
                h[6] = s.option("eps");
                h[7] = s.flag("decoupled") ? 1 - lr * wd : wd;
            }
        }
        return h;
    }

    private static int flags(OptimizerStep s) {
        int f = 0;
        if (s.flag("maximize")) f |= MultiTensorOptimizerPtx.MAXIMIZE;
        if (s.flag("nesterov")) f |= MultiTensorOptimizerPtx.NESTEROV;
        if (s.flag("first")) f |= MultiTensorOptimizerPtx.FIRST;
        if (s.option("weight_decay") != 0) f |= MultiTensorOptimizerPtx.WEIGHT_DECAY;
        if (s.rule() == Rule.SGD ? s.option("momentum") != 0 : s.option("momentum") > 0) f |= MultiTensorOptimizerPtx.MOMENTUM;
        if (s.flag("centered")) f |= MultiTensorOptimizerPtx.CENTERED;
        if (s.flag("amsgrad")) f |= MultiTensorOptimizerPtx.AMSGRAD;
        if (s.flag("decoupled")) f |= MultiTensorOptimizerPtx.DECOUPLED;
        return f;
    }

    /** The cached table for these rows, uploaded now if new (outside a capture only). */
    private synchronized Table table(List<Long> rows, Rule rule, CudaGraphCapture.Active capture) {
        Table cached = tables.get(rows);
        if (cached != null) return cached;
        if (capture != null) {
            throw new CudaGraphException(rule + " optimizer step during CUDA graph capture: its device table (the addresses"
                    + " of the parameters and their state) is not on the device yet; run one optimizer step before"
                    + " Cuda.capture, as warm-up");
        }
        int count = (rows.size() - 2) / 5;
        int bytes = MultiTensorOptimizerPtx.HEADER_BYTES + count * MultiTensorOptimizerPtx.ROW_BYTES;
        ByteBuffer buf = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(MultiTensorOptimizerPtx.HEADER_BYTES);
        for (int i = 2; i < rows.size(); i++) buf.putLong(rows.get(i));
        long[] words = new long[bytes / 8];
        buf.rewind();
        buf.asLongBuffer().get(words);
        Storage s = StorageScope.outside(() -> backend.upload(words));
        Table table = new Table((CudaStorage) s);
        tables.put(List.copyOf(rows), table);
        evict();
        return table;
    }

    private void evict() {
        var it = tables.entrySet().iterator();
        while (tables.size() > MAX_TABLES && it.hasNext()) {
            Table t = it.next().getValue();
            it.remove();
            t.evicted = true;
            if (t.graphs == 0) t.storage.close();
        }
    }

    private synchronized void release(Table t) {
        t.graphs--;
        if (t.graphs == 0 && t.evicted) t.storage.close();
    }

    /** Tables held (tests check the caching). */
    synchronized int tables() { return tables.size(); }
}
