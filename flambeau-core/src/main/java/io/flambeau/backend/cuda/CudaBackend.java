package io.flambeau.backend.cuda;

import io.flambeau.backend.AdvancedIndex;
import io.flambeau.backend.Backend;
import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.CountedDevice;
import io.flambeau.backend.CounterRng;
import io.flambeau.backend.DeviceIndexing;
import io.flambeau.backend.DeviceLosses;
import io.flambeau.backend.DeviceRanges;
import io.flambeau.backend.ExternalMemory;
import io.flambeau.backend.GraphCapture;
import io.flambeau.backend.OptimizerStep;
import io.flambeau.backend.MemoryPool;
import io.flambeau.backend.ReduceOp;
import io.flambeau.backend.Storage;
import io.flambeau.backend.StorageScope;
import io.flambeau.backend.UnaryOp;
import io.flambeau.backend.View;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.core.DType;
import io.flambeau.core.DataException;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;
import io.flambeau.core.DeviceException;
import io.flambeau.core.Ownership;

/**
 * The CUDA backend for one device, talking to CUDA only through {@link CudaApi} (the real driver or
 * the simulated device). It owns the device's primary context (bound to whichever thread calls in),
 * one stream that all work is queued on in order, a cuBLAS handle when cuBLAS is present, the
 * {@link CachingAllocator} and the {@link KernelCache}.
 *
 * <p>Primitives queue kernels and return; host reads ({@link #download}) and {@link #synchronize}
 * wait for the stream, then throw what the kernels left in the {@link DeviceErrorRecord} (an index
 * out of bounds found by advanced indexing or a fused loss). Every call to the driver goes through
 * the context's {@link CountingCudaApi} ({@link #counters}). Every operand must be an open {@link CudaStorage} of this device: anything
 * else is a {@link DeviceException} (or {@code ClosedTensorException}) naming the op.
 */
public final class CudaBackend implements Backend, MemoryPool, ExternalMemory, CountedDevice, DeviceIndexing,
        DeviceRanges, DeviceLosses, GraphCapture, AutoCloseable {
    /** The most bytes one host-address copy moves (a piece larger than this takes several). */
    static final long ADDRESS_CHUNK = 1L << 30;
    private static volatile boolean allowTf32 = Boolean.getBoolean("flambeau.cuda.tf32");

    private final CudaContext ctx;
    private final CachingAllocator allocator;
    private final KernelCache kernels;
    private final long blasHandle;
    private final CudaElementwise elementwise;
    private final CudaReduce reductions;
    private final CudaMatmul matmul;
    private final CudaIndexing indexing;
    private final MultiTensorOptimizer optimizers;
    private final DeviceErrorRecord errors;
    private final CudaLosses losses;
    private final CudaGraphCapture graphs;
    private volatile boolean closed;

    /** Initialises the driver (idempotent) and takes device {@code ordinal}'s primary context. */
    public CudaBackend(CudaApi api, int ordinal) {
        api.init();
        this.ctx = new CudaContext(api, ordinal);
        this.allocator = new CachingAllocator(ctx.api, ctx::makeCurrent, ctx::synchronize, ctx.device.toString());
        this.kernels = new KernelCache(ctx);
        if (ctx.api.hasBlas()) {
            this.blasHandle = ctx.api.blasCreate();
            ctx.api.blasSetStream(blasHandle, ctx.stream);
        } else {
            this.blasHandle = 0;
        }
        this.elementwise = new CudaElementwise(kernels);
        this.reductions = new CudaReduce(this);
        this.matmul = new CudaMatmul(this);
        this.indexing = new CudaIndexing(this);
        this.optimizers = new MultiTensorOptimizer(this);
        this.errors = new DeviceErrorRecord(ctx);
        this.losses = new CudaLosses(kernels, errors);
        this.graphs = new CudaGraphCapture(this, ctx);
    }

    /** Whether float32 matmuls may use TF32 tensor cores (default: no, full FP32). */
    public static boolean allowTf32() { return allowTf32; }

    /** Opt in to (or out of) TF32 for float32 matmuls; also {@code -Dflambeau.cuda.tf32=true}. */
    public static void setAllowTf32(boolean allow) { allowTf32 = allow; }

    @Override
    public Device device() { return ctx.device; }

    /** The device's name as the driver reports it. */
    public String deviceName() { return ctx.name; }

    /** Whether GEMMs go through cuBLAS (otherwise the PTX fallback kernels). */
    public boolean usesBlas() { return blasHandle != 0; }

    @Override
    public boolean fusedOptimizerStep(OptimizerStep step) {
        checkUsable("optimizer step");
        return optimizers.step(step);
    }

    @Override
    public boolean fusesOptimizerSteps() { return true; }

    @Override
    public CapturedGraph capture(Runnable body) {
        checkUsable("Cuda.capture");
        return graphs.capture(body);
    }

    // ---- memory ---------------------------------------------------------------------------------

    @Override
    public Storage allocate(DType dtype, long numel) {
        checkUsable("allocate");
        if (numel < 0) throw new DataException("cannot allocate a negative number of elements (" + numel + ")");
        graphs.refuseOtherThread("allocate");
        ctx.makeCurrent();
        return new CudaStorage(this, dtype, numel, allocator.allocate(numel * dtype.byteSize()));
    }

    // ---- memory shared with other libraries (see ExternalMemory) ----------------------------------

    @Override
    public Storage wrap(long address, DType dtype, long numel, Ownership ownership) {
        checkUsable("wrap");
        if (numel < 0) throw new DataException("cannot wrap a negative number of elements (" + numel + ")");
        ctx.makeCurrent();
        // memory another library allocated: the checked seam accepts it in calls from now on
        Runnable disown = ctx.checked.adopt(address, numel * dtype.byteSize());
        Runnable release = ownership == Ownership.OWNED ? new FreeOwned(ctx, address) : disown;
        return new CudaStorage(this, dtype, numel, address, release);
    }

    /** Frees memory handed to Flambeau once the work queued on it is done; the context's end frees it otherwise. */
    private record FreeOwned(CudaContext ctx, long address) implements Runnable {
        @Override
        public void run() {
            if (ctx.isClosed()) return;
            ctx.synchronize();
            ctx.api.memFree(address);
        }
    }

    @Override
    public long streamHandle() { return ctx.stream; }

    @Override
    public long contextHandle() { return ctx.context; }

    /** Device memory for a temporary of one primitive call: never tracked by the caller's scope. */
    CudaStorage scratch(DType dtype, long numel) {
        return StorageScope.outside(() -> (CudaStorage) allocate(dtype, numel));
    }

    @Override
    public Storage upload(Object hostArray) {
        checkUsable("upload");
        graphs.refuse("tensor from host data", "a host-to-device copy");
        CudaStorage s = (CudaStorage) allocate(HostTransfer.dtypeOf(hostArray), HostTransfer.length(hostArray));
        HostTransfer.upload(ctx.api, ctx.stream, s.dataPtr(), hostArray);
        return s;
    }

    /** One host-to-device copy (per 32 MiB of staging) straight to the address of the dense view {@code dst}. */
    @Override
    public void uploadInto(Object hostArray, View dst) {
        check("upload", dst);
        graphs.refuse("tensor from host data", "a host-to-device copy");
        if (!dst.isContiguous() || HostTransfer.dtypeOf(hostArray) != dst.dtype()
                || HostTransfer.length(hostArray) != dst.numel()) {
            throw new io.flambeau.core.DataException("uploadInto: a " + HostTransfer.dtypeOf(hostArray) + " array of "
                    + HostTransfer.length(hostArray) + " elements does not fill the dense " + dst.dtype() + " view of "
                    + dst.numel() + " elements it was given");
        }
        HostTransfer.upload(ctx.api, ctx.stream, ((CudaStorage) dst.storage()).address(dst.offset()), hostArray);
    }

    /** Synchronous copies straight from the host address, one per {@link #ADDRESS_CHUNK} bytes. */
    @Override
    public boolean uploadFromAddress(long hostAddress, View dst) {
        check("upload", dst);
        graphs.refuse("tensor from host data", "a host-to-device copy");
        if (!dst.isContiguous()) return false;
        long bytes = dst.numel() * dst.dtype().byteSize(), at = ((CudaStorage) dst.storage()).address(dst.offset());
        // a synchronous copy runs on the legacy stream, which waits for the work queued on ctx.stream
        // (a blocking stream) and which that stream's later work waits for
        for (long from = 0; from < bytes; from += ADDRESS_CHUNK) {
            ctx.api.memcpyHtoDFromAddress(at + from, hostAddress + from, Math.min(ADDRESS_CHUNK, bytes - from));
        }
        return true;
    }

    /** A dense copy of {@code src} (made on the device if needed), then copies straight to the host address. */
    @Override
    public boolean downloadToAddress(View src, long hostAddress) {
        check("download", src);
        graphs.refuse("item/toArray/print", "a host read (it waits for the device)");
        try (ScratchTensors tmp = new ScratchTensors(this)) {
            View d = tmp.dense(src);
            ctx.synchronize();
            errors.throwIfSet();
            long bytes = d.numel() * d.dtype().byteSize(), at = ((CudaStorage) d.storage()).address(d.offset());
            for (long from = 0; from < bytes; from += ADDRESS_CHUNK) {
                ctx.api.memcpyDtoHToAddress(hostAddress + from, at + from, Math.min(ADDRESS_CHUNK, bytes - from));
            }
        }
        return true;
    }

    @Override
    public Object download(View v) {
        check("download", v);
        graphs.refuse("item/toArray/print", "a host read (it waits for the device)");
        try (ScratchTensors tmp = new ScratchTensors(this)) {
            View d = tmp.dense(v);
            ctx.synchronize();
            errors.throwIfSet();
            return HostTransfer.download(ctx.api, ((CudaStorage) d.storage()).address(d.offset()), v.dtype(), v.numel());
        }
    }

    @Override
    public DeviceCounters counters() { return ctx.api.snapshot(); }

    @Override
    public long memoryAllocated() { return allocator.allocated(); }

    @Override
    public long memoryReserved() { return allocator.reserved(); }

    @Override
    public long maxMemoryAllocated() { return allocator.peak(); }

    @Override
    public void resetPeakMemoryStats() { allocator.resetPeak(); }

    @Override
    public void emptyCache() {
        graphs.refuse("emptyCache", "returning memory to the driver");
        allocator.emptyCache();
    }

    /** Turns the allocator's cache off (every free goes to the driver) or back on; for debugging. */
    public void setCaching(boolean on) { allocator.setCaching(on); }

    // ---- primitives -----------------------------------------------------------------------------

    @Override
    public void fill(View dst, double value) {
        check("fill_", dst);
        elementwise.fill(dst, value);
    }

    @Override
    public void copy(View src, View dst) {
        check("copy_", src, dst);
        if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous() && src.numel() > 0) {
            ctx.makeCurrent();
            ctx.api.memcpyDtoDAsync(((CudaStorage) dst.storage()).address(dst.offset()),
                    ((CudaStorage) src.storage()).address(src.offset()), src.numel() * src.dtype().byteSize(), ctx.stream);
            return;
        }
        elementwise.copy(src, dst);
    }

    @Override
    public void unary(UnaryOp op, View x, View out, double p, double q) {
        check(op.name(), x, out);
        elementwise.unary(op, x, out, p, q);
    }

    @Override
    public void binary(BinaryOp op, View a, View b, View out) {
        check(op.name(), a, b, out);
        elementwise.binary(op, a, b, out);
    }

    @Override
    public void binaryScalar(BinaryOp op, View a, double scalar, boolean reversed, View out) {
        check(op.name(), a, out);
        elementwise.binaryScalar(op, a, scalar, reversed, out);
    }

    @Override
    public void where(View cond, View a, View b, View out) {
        check("where", cond, a, b, out);
        elementwise.where(cond, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, View x, int dim, View out) {
        check(op.name(), x, out);
        reductions.reduce(op, x, dim, out);
    }

    @Override
    public void matmul(View a, View b, View out) {
        check("matmul", a, b, out);
        matmul.matmul(a, b, out);
    }

    @Override
    public void matmulBias(View a, View b, View bias, View out) {
        check("addmm", a, b, bias, out);
        matmul.matmulBias(a, b, bias, out, false);
    }

    @Override
    public void matmulBiasRelu(View a, View b, View bias, View out) {
        check("addmm", a, b, bias, out);
        matmul.matmulBias(a, b, bias, out, true);
    }

    /** {@code out = relu(a + b)} in one kernel (same dtype, out dense). */
    void addRelu(View a, View b, View out) {
        elementwise.addRelu(a, b, out);
    }

    @Override
    public void take(View src, View offsets, View out) {
        check("index", src, offsets, out);
        indexing.take(src, offsets, out);
    }

    @Override
    public void put(View dst, View offsets, View values, boolean accumulate) {
        check("index_put_", dst, offsets, values);
        indexing.put(dst, offsets, values, accumulate);
    }

    @Override
    public void gather(AdvancedIndex index, View out) {
        checkIndexed(index, out);
        indexing.gather(index, out, errors);
    }

    @Override
    public void scatter(AdvancedIndex index, View values, boolean accumulate) {
        checkIndexed(index, values);
        indexing.scatter(index, values, accumulate, errors);
    }

    private void checkIndexed(AdvancedIndex index, View data) {
        View[] all = new View[index.indices().length + 2];
        all[0] = data;
        all[1] = index.base();
        System.arraycopy(index.indices(), 0, all, 2, index.indices().length);
        check(index.op(), all);
    }

    @Override
    public void arange(View out, double start, double step) {
        check("arange", out);
        RangeKernels.launch(kernels, out, args -> args.f64(start).f64(step));
    }

    @Override
    public void arange(View out, long start, long step) {
        check("arange", out);
        RangeKernels.launch(kernels, out, args -> args.s64(start).s64(step));
    }

    @Override
    public void marginHingeTerms(View scores, View targets, double delta, View out) {
        check("margin_hinge", scores, targets, out);
        losses.marginHinge(scores, targets, delta, null, out);
    }

    @Override
    public void marginHingeTermsBackward(View scores, View targets, double delta, View grad, View out) {
        check("margin_hinge_backward", scores, targets, grad, out);
        losses.marginHinge(scores, targets, delta, grad, out);
    }

    @Override
    public void crossEntropyTerms(View scores, View targets, long ignoreIndex, boolean summed, View out) {
        check("cross_entropy", scores, targets, out);
        losses.crossEntropy(scores, targets, ignoreIndex, summed, null, out);
    }

    @Override
    public void crossEntropyTermsBackward(View scores, View targets, long ignoreIndex, boolean summed, View grad,
                                          View out) {
        check("cross_entropy_backward", scores, targets, grad, out);
        losses.crossEntropy(scores, targets, ignoreIndex, summed, grad, out);
    }

    @Override
    public void random(CounterRng.Kind kind, View out, long seed, long counter, double a, double b) {
        check("random", out);
        long n = out.numel();
        if (n == 0) return;
        try (ScratchTensors tmp = new ScratchTensors(this)) {
            // element i of the draw goes to element i of the output in row-major order
            View dst = out.isContiguous() ? out : tmp.empty(out.dtype(), out.shape());
            RandomKernels.Key key = new RandomKernels.Key(kind, out.dtype());
            KernelCache.Kernel k = kernels.generated(key, key.entry(), () -> RandomKernels.emit(key));
            KernelArgs args = new KernelArgs().ptr(((CudaStorage) dst.storage()).address(dst.offset())).u64(n)
                    .u64(seed).u64(counter).f64(a).f64(b).s64((long) a);
            kernels.launch1d(k, n, args);
            if (dst != out) copy(dst, out);
        }
    }

    /**
     * Softmax (or log-softmax) along the last dim of a dense float view {@code x} into a dense
     * {@code out} of the same shape: one block per row, max-subtracted, NaN-propagating.
     */
    public void softmaxLastDim(View x, View out, boolean log) {
        check(log ? "log_softmax" : "softmax", x, out);
        SoftmaxKernels.launch(this, x, out, log);
    }

    @Override
    public void synchronize() {
        checkUsable("synchronize");
        graphs.refuse("synchronize", "a host synchronisation");
        ctx.synchronize();
        errors.throwIfSet();
    }

    // ---- plumbing shared by the helpers -----------------------------------------------------------

    CudaContext context() { return ctx; }

    CachingAllocator allocator() { return allocator; }

    KernelCache kernels() { return kernels; }

    CudaGraphCapture graphs() { return graphs; }

    long blasHandle() { return blasHandle; }

    /** A dense row-major view of a whole storage. */
    static View dense(Storage s, long[] shape) {
        return View.dense(s, shape.clone());
    }

    /** Checks that every operand is an open storage of this device. */
    void check(String op, View... views) {
        checkUsable(op);
        for (View v : views) {
            Storage s = v.storage();
            if (!(s instanceof CudaStorage cs) || cs.backend() != this) {
                throw new DeviceException(op + ": expected all tensors to be on " + ctx.device + ", but found one on "
                        + s.device() + "; move it with .to(device)");
            }
            s.checkOpen(op);
        }
        ctx.makeCurrent();
    }

    private void checkUsable(String op) {
        if (closed) throw new DeviceException(op + ": the CUDA backend of " + ctx.device + " was closed");
    }

    /** Waits for queued work, then releases the cuBLAS handle, modules, cached memory and the context. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        ctx.synchronize();
        if (blasHandle != 0) ctx.api.blasDestroy(blasHandle);
        kernels.close();
        errors.close();
        allocator.emptyCache();
        ctx.close();
    }

    @Override
    public String toString() { return "CudaBackend[" + ctx + (usesBlas() ? ", cuBLAS" : ", PTX GEMM") + "]"; }
}
