package io.flambeau.backend.cuda;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;
import io.flambeau.backend.View;
import io.flambeau.backend.cuda.ElementwiseSpec.Kind;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.core.DType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Host side of the generated elementwise kernels: simplifies the launch's layout, picks (or emits)
 * the kernel variant, and passes the parameters in the order {@link PtxEmitter} declares them.
 * Scalars are converted on the host exactly as the CPU backend converts them into a tensor of the
 * operand's dtype ({@code (float) s}, Java's {@code (long) s}, {@code s != 0}).
 */
final class CudaElementwise {
    private final KernelCache kernels;

    CudaElementwise(KernelCache kernels) {
        this.kernels = kernels;
    }

    void fill(View dst, double value) {
        run(Kind.FILL, null, dst, List.of(), false, args -> typedScalar(args, dst.dtype(), value));
    }

    void copy(View src, View dst) {
        run(Kind.COPY, null, dst, List.of(src), false, args -> { });
    }

    void unary(UnaryOp op, View x, View out, double p, double q) {
        boolean floating = x.dtype().isFloating();
        run(Kind.UNARY, op.name(), out, List.of(x), false, args -> {
            if (floating) args.f64(p).f64(q);
            else args.s64((long) p).s64((long) q);
        });
    }

    void binary(BinaryOp op, View a, View b, View out) {
        run(Kind.BINARY, op.name(), out, List.of(a, b), false, args -> { });
    }

    /** {@code out = relu(a + b)} in one pass. */
    void addRelu(View a, View b, View out) {
        run(Kind.ADD_RELU, null, out, List.of(a, b), false, args -> { });
    }

    void binaryScalar(BinaryOp op, View a, double scalar, boolean reversed, View out) {
        run(Kind.BINARY_SCALAR, op.name(), out, List.of(a), reversed, args -> typedScalar(args, a.dtype(), scalar));
    }

    void where(View cond, View a, View b, View out) {
        run(Kind.WHERE, null, out, List.of(cond, a, b), false, args -> { });
    }

    /** A scalar as a tensor of dtype {@code t} would hold it. */
    private static void typedScalar(KernelArgs args, DType t, double v) {
        switch (t) {
            case FLOAT32 -> args.f32((float) v);
            case FLOAT64 -> args.f64(v);
            case INT64 -> args.s64((long) v);
            case BOOL -> args.s64(v != 0 ? 1 : 0);
        }
    }

    private void run(Kind kind, String op, View out, List<View> inputs, boolean reversed, Consumer<KernelArgs> scalars) {
        long n = out.numel();
        if (n == 0) return;
        long[][] strides = new long[inputs.size() + 1][];
        strides[0] = out.strides();
        List<DType> inTypes = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            strides[i + 1] = inputs.get(i).strides();
            inTypes.add(inputs.get(i).dtype());
        }
        StridedLayout layout = StridedLayout.of(out.shape(), strides);
        ElementwiseSpec spec = ElementwiseSpec.of(kind, op, inTypes, out.dtype(), layout, reversed);
        KernelCache.Kernel k = kernels.elementwise(spec);
        KernelArgs args = new KernelArgs().u64(n);
        args.ptr(out.storage().dataPtr()).u64(out.offset());
        for (View v : inputs) args.ptr(v.storage().dataPtr()).u64(v.offset());
        if (!layout.dense()) {
            args.longs(layout.shape());
            for (int i = 0; i < strides.length; i++) args.longs(layout.strides(i));
        }
        scalars.accept(args);
        kernels.launch1d(k, n, args);
    }
}
