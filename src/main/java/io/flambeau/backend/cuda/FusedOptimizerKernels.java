package io.flambeau.backend.cuda;

import io.flambeau.backend.View;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.ShapeException;

/**
 * Fused optimizer steps on one device ({@code kernels/optim_f32.ptx}, {@code optim_f64.ptx}): each updates a parameter and its
 * state buffers in a single pass instead of the five to ten elementwise kernels the same update
 * takes through the op layer. The arithmetic follows torch.optim's single-tensor algorithms step for
 * step (see the kernel file's header). Every buffer must be a dense float32 or float64 view of this
 * device with the parameter's dtype and element count; step-dependent scalars (bias corrections,
 * Adagrad's decayed rate) are computed here on the host in double precision.
 */
public final class FusedOptimizerKernels {
    private final CudaBackend backend;

    FusedOptimizerKernels(CudaBackend backend) {
        this.backend = backend;
    }

    /** SGD with optional momentum (buffer null for none), dampening, Nesterov and weight decay. */
    public void sgd(View param, View grad, View momentumBuffer, double lr, double momentum, double dampening,
                    double weightDecay, boolean nesterov, boolean firstStep) {
        DType t = check("sgd", param, grad, momentumBuffer);
        KernelArgs a = new KernelArgs().ptr(addr(param)).ptr(addr(grad)).ptr(addr(momentumBuffer)).u64(param.numel());
        scalar(a, t, lr);
        scalar(a, t, momentum);
        scalar(a, t, dampening);
        scalar(a, t, weightDecay);
        a.u32(nesterov ? 1 : 0).u32(firstStep ? 1 : 0);
        launch("sgd", t, param.numel(), a);
    }

    /** Adagrad at step {@code step} (1-based); {@code sum} holds the running sum of squared gradients. */
    public void adagrad(View param, View grad, View sum, double lr, double lrDecay, double weightDecay, double eps, long step) {
        DType t = check("adagrad", param, grad, sum);
        double clr = lr / (1 + (step - 1) * lrDecay);
        KernelArgs a = new KernelArgs().ptr(addr(param)).ptr(addr(grad)).ptr(addr(sum)).u64(param.numel());
        scalar(a, t, clr);
        scalar(a, t, weightDecay);
        scalar(a, t, eps);
        launch("adagrad", t, param.numel(), a);
    }

    /** RMSprop; {@code gradAvg} non-null makes it centered, {@code momentumBuffer} non-null adds momentum. */
    public void rmsprop(View param, View grad, View squareAvg, View gradAvg, View momentumBuffer, double lr, double alpha,
                        double eps, double weightDecay, double momentum) {
        DType t = check("rmsprop", param, grad, squareAvg, gradAvg, momentumBuffer);
        KernelArgs a = new KernelArgs().ptr(addr(param)).ptr(addr(grad)).ptr(addr(squareAvg)).ptr(addr(gradAvg))
                .ptr(addr(momentumBuffer)).u64(param.numel());
        scalar(a, t, lr);
        scalar(a, t, alpha);
        scalar(a, t, eps);
        scalar(a, t, weightDecay);
        scalar(a, t, momentum);
        launch("rmsprop", t, param.numel(), a);
    }

    /**
     * Adam at step {@code step} (1-based), or AdamW when {@code decoupledWeightDecay}: then the parameter
     * decays by {@code 1 - lr*weightDecay} instead of the gradient getting {@code weightDecay*param}.
     */
    public void adam(View param, View grad, View expAvg, View expAvgSq, double lr, double beta1, double beta2,
                     double eps, double weightDecay, long step, boolean decoupledWeightDecay) {
        DType t = check("adam", param, grad, expAvg, expAvgSq);
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        KernelArgs a = new KernelArgs().ptr(addr(param)).ptr(addr(grad)).ptr(addr(expAvg)).ptr(addr(expAvgSq))
                .u64(param.numel());
        scalar(a, t, beta1);
        scalar(a, t, beta2);
        scalar(a, t, eps);
        scalar(a, t, weightDecay);
        scalar(a, t, 1 - lr * weightDecay);
        scalar(a, t, lr / bc1);
        scalar(a, t, Math.sqrt(bc2));
        a.u32(decoupledWeightDecay ? 1 : 0);
        launch("adam", t, param.numel(), a);
    }

    private DType check(String op, View param, View... others) {
        View[] present = java.util.Arrays.stream(others).filter(java.util.Objects::nonNull).toArray(View[]::new);
        View[] all = new View[present.length + 1];
        all[0] = param;
        System.arraycopy(present, 0, all, 1, present.length);
        backend.check(op, all);
        DType t = param.dtype();
        if (!t.isFloating()) throw new DTypeException(op + ": parameters must be float32 or float64, got " + t);
        for (View v : all) {
            if (v.dtype() != t) throw new DTypeException(op + ": every buffer must have the parameter's dtype " + t + ", got " + v.dtype());
            if (!v.isContiguous() || v.numel() != param.numel()) {
                throw new ShapeException(op + ": every buffer must be dense with " + param.numel() + " elements (the parameter's"
                        + " shape " + java.util.Arrays.toString(param.shape()) + "), got shape " + java.util.Arrays.toString(v.shape()));
            }
        }
        return t;
    }

    private static long addr(View v) {
        return v == null ? 0 : v.storage().dataPtr() + v.offset() * v.dtype().byteSize();
    }

    private static void scalar(KernelArgs a, DType t, double v) {
        if (t == DType.FLOAT32) a.f32((float) v);
        else a.f64(v);
    }

    private void launch(String kind, DType t, long n, KernelArgs args) {
        if (n == 0) return;
        KernelCache k = backend.kernels();
        String suffix = ElementwiseSpec.suffix(t);
        k.launch1d(k.shipped("optim_" + suffix + ".ptx", kind + "_" + suffix), n, args);
    }
}
