package io.flambeau.backend.cuda;

import io.flambeau.core.ClassTargetMessage;
import io.flambeau.backend.View;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.core.DType;

/**
 * Host side of the fused losses ({@link LossKernels}, {@link CrossEntropyKernels}): one thread per
 * row, the targets checked in the kernel against the {@link DeviceErrorRecord}, under the site of
 * the composed form's gather ({@code index}, dim 1), so a bad target reads as it does on the CPU.
 */
final class CudaLosses {
    private final KernelCache kernels;
    private final DeviceErrorRecord errors;

    CudaLosses(KernelCache kernels, DeviceErrorRecord errors) {
        this.kernels = kernels;
        this.errors = errors;
    }

    void marginHinge(View scores, View targets, double delta, View grad, View out) {
        long rows = scores.shape()[0], cols = scores.shape()[1];
        if (rows == 0) return;
        LossKernels spec = new LossKernels(scores.dtype(), grad != null);
        KernelCache.Kernel k = kernels.generated(spec, spec.kernelName(), spec::emit);
        KernelArgs args = new KernelArgs()
                .ptr(address(scores)).s64(scores.strides()[0]).s64(scores.strides()[1])
                .ptr(address(targets)).s64(targets.strides()[0])
                .ptr(address(out)).u64(rows).u64(cols);
        if (scores.dtype() == DType.FLOAT32) args.f32((float) delta);
        else args.f64(delta);
        if (grad != null) {
            args.ptr(address(grad)).s64(grad.strides()[0]).s64(grad.strides()[1]);
        }
        args.ptr(errors.arm()).u32(errors.targetSite("margin_hinge", ClassTargetMessage.NO_IGNORE));
        kernels.launch1d(k, rows, args);
    }

    void crossEntropy(View scores, View targets, long ignoreIndex, boolean summed, View grad, View out) {
        long rows = scores.shape()[0], cols = scores.shape()[1];
        if (rows == 0) return;
        CrossEntropyKernels spec = new CrossEntropyKernels(scores.dtype(), grad != null);
        KernelCache.Kernel k = kernels.generated(spec, spec.kernelName(), spec::emit);
        KernelArgs args = new KernelArgs()
                .ptr(address(scores)).s64(scores.strides()[0]).s64(scores.strides()[1])
                .ptr(address(targets)).s64(targets.strides()[0])
                .ptr(address(out)).u64(rows).u64(cols);
        double count = summed ? 1 : rows;
        if (scores.dtype() == DType.FLOAT32) args.f32((float) count);
        else args.f64(count);
        args.s64(ignoreIndex);
        if (grad != null) args.ptr(address(grad)).s64(grad.strides()[0]);
        args.ptr(errors.arm()).u32(errors.targetSite("cross_entropy", ignoreIndex));
        kernels.launch1d(k, rows, args);
    }

    private static long address(View v) {
        return ((CudaStorage) v.storage()).address(v.offset());
    }
}
