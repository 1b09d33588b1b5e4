package io.flambeau.distributed;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.distributed.mpi.NativeBuffer;

/**
 * Moves tensor elements between tensors (CPU, or CUDA through the host) and the off-heap buffers
 * MPI reads and writes: a dense row-major host copy of the tensor is written into the buffer, and
 * results are copied back into the caller's tensor in place (keeping its strides, as PyTorch's
 * in-place collectives do).
 */
final class TensorStaging {
    private TensorStaging() {}

    /** Copies made of tensors' elements, in and out (tests check that the off-heap route makes none). */
    static final java.util.concurrent.atomic.AtomicLong COPIES = new java.util.concurrent.atomic.AtomicLong();

    /** The tensor's elements in row-major order as float[], double[], long[] or boolean[] of its dtype. */
    static Object hostArray(Tensor t) {
        COPIES.incrementAndGet();
        return switch (t.dtype()) {
            case FLOAT32 -> t.toFloatArray();
            case FLOAT64 -> t.toDoubleArray();
            case INT64 -> t.toLongArray();
            case BOOL -> t.toBooleanArray();
        };
    }

    /** Writes {@code t}'s elements into {@code buffer} from element {@code at}. */
    static void stage(NativeBuffer buffer, long at, Tensor t) {
        buffer.write(at, hostArray(t));
    }

    /** Copies {@code target.numel()} elements from {@code buffer} at {@code at} into {@code target}, in place. */
    static void unstage(NativeBuffer buffer, long at, Tensor target, int divideBy) {
        Object values = buffer.read(at, Math.toIntExact(target.numel()));
        if (divideBy > 1) divide(values, divideBy);
        write(target, values);
    }

    /** Writes a row-major host array of target's dtype into {@code target}, divided by {@code divideBy} first (AVG). */
    static void write(Tensor target, Object values, int divideBy) {
        if (divideBy > 1) divide(values, divideBy);
        write(target, values);
    }

    /** Writes a row-major host array of target's dtype into {@code target}, in place, outside autograd. */
    static void write(Tensor target, Object values) {
        COPIES.incrementAndGet();
        Tensor source = Torch.tensor(values, target.dtype(), target.device()).view(target.shape().toArray());
        try (var ignored = Torch.noGrad()) {
            target.copy_(source);
        }
    }

    /** AVG in place on elements {@code [from, from + count)} of a host array: the sum divided by the group size. */
    static void divide(Object values, int from, int count, int n) {
        if (n <= 1) return;
        int to = from + count;
        switch (values) {
            case float[] a -> { for (int i = from; i < to; i++) a[i] /= n; }
            case double[] a -> { for (int i = from; i < to; i++) a[i] /= n; }
            case long[] a -> { for (int i = from; i < to; i++) a[i] /= n; }
            default -> throw new IllegalStateException("avg of " + values.getClass().getSimpleName());
        }
    }

    /** AVG: the sum divided by the group size (int64 truncates toward zero, as C and NCCL do). */
    private static void divide(Object values, int n) {
        divide(values, 0, java.lang.reflect.Array.getLength(values), n);
    }
}
