package io.flambeau.backend.cuda;

import io.flambeau.backend.View;
import io.flambeau.core.DType;

import java.util.ArrayList;
import java.util.List;

/**
 * Temporary device tensors of one primitive call (dense copies, casts), released together when the
 * call has queued its kernels. Releasing right after queueing is safe: the allocator only hands a
 * block to work queued later on the same stream, and drains the stream before any real free.
 * Scratch memory is never tracked by the caller's {@code Scope}.
 */
final class ScratchTensors implements AutoCloseable {
    private final CudaBackend backend;
    private final List<CudaStorage> held = new ArrayList<>();

    ScratchTensors(CudaBackend backend) {
        this.backend = backend;
    }

    /** A new dense tensor of the given dtype and shape. */
    View empty(DType dtype, long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        CudaStorage s = backend.scratch(dtype, n);
        held.add(s);
        return CudaBackend.dense(s, shape);
    }

    /** {@code v} itself when it is dense, else a dense copy. */
    View dense(View v) {
        if (v.isContiguous()) return v;
        View d = empty(v.dtype(), v.shape());
        backend.copy(v, d);
        return d;
    }

    /** {@code v} itself when it has dtype {@code t}, else a dense converted copy. */
    View cast(View v, DType t) {
        if (v.dtype() == t) return v;
        View d = empty(t, v.shape());
        backend.copy(v, d);
        return d;
    }

    @Override
    public void close() {
        for (CudaStorage s : held) s.close();
        held.clear();
    }
}
