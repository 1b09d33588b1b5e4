package io.flambeau.backend;

import io.flambeau.core.DType;
import io.flambeau.core.Device;

/**
 * The primitive kernels a device implements. Every tensor op is composed from these by the ops
 * layer, so adding an op touches one place, not every backend.
 *
 * <p>Contracts shared by all methods: operands are {@link View}s whose shapes already agree
 * (broadcast dims carry stride 0); {@code out} views are freshly allocated and dense unless a
 * method says otherwise; dtypes are settled by the caller (no implicit casts except in
 * {@link #copy}). Backends check that storages are open and on their device.
 */
public interface Backend {

    Device device();

    /** Uninitialised memory for {@code numel} elements. */
    Storage allocate(DType dtype, long numel);

    /** Copies a host array ({@code float[]}, {@code double[]}, {@code long[]}, {@code boolean[]}) to new memory. */
    Storage upload(Object hostArray);

    /** Dense row-major host copy of a view, as an array of the view's dtype (see {@link #upload}). */
    Object download(View v);

    /**
     * Copies a host array of {@code dst}'s dtype (see {@link #upload}) into the dense view {@code dst},
     * which has exactly as many elements: how a tensor larger than any Java array arrives, one piece
     * at a time, in memory allocated once. This default uploads the piece to a temporary storage and
     * copies it across; a backend that can write host data in place (CUDA: one host-to-device copy at
     * the view's address) overrides it.
     */
    default void uploadInto(Object hostArray, View dst) {
        Storage piece = StorageScope.outside(() -> upload(hostArray));
        try {
            copy(View.dense(piece, dst.shape()), dst);
        } finally {
            piece.close();
        }
    }

    /** Writes {@code value} (converted to the view's dtype) to every element of {@code dst}. */
    void fill(View dst, double value);

    /** Same shapes; converts between dtypes as PyTorch's {@code copy_} does. {@code src} may broadcast. */
    void copy(View src, View dst);

    /** {@code out = op(x)}; x and out have the same dtype. */
    void unary(UnaryOp op, View x, View out, double p, double q);

    /** {@code out = op(a, b)}; a and b share a dtype; out has it too, or bool for comparisons. */
    void binary(BinaryOp op, View a, View b, View out);

    /**
     * {@code out = op(a, scalar)}, or {@code op(scalar, a)} when {@code reversed}: the scalar
     * travels as a kernel argument instead of a tensor. Same dtype rules as {@link #binary}.
     */
    void binaryScalar(BinaryOp op, View a, double scalar, boolean reversed, View out);

    /** {@code out = cond ? a : b}; cond is bool, a, b and out share a dtype. */
    void where(View cond, View a, View b, View out);

    /**
     * Reduces {@code x} over {@code dim}, or over all elements when {@code dim < 0}. {@code out} has
     * x's shape without {@code dim} (a 0-dim view for a full reduction), x's dtype for SUM/MAX/MIN
     * (int64 for summed bools is the caller's cast), and int64 for ARGMAX/ARGMIN. NaN wins MAX/MIN
     * as in PyTorch; ties pick the first index.
     */
    void reduce(ReduceOp op, View x, int dim, View out);

    /**
     * Batched matrix product of rank-3 views: {@code (B,m,k)·(B,k,n) → (B,m,n)}. Any strides,
     * batch stride 0 for broadcast batches; {@code out} is dense.
     */
    void matmul(View a, View b, View out);

    /**
     * {@code out = a·b + bias}, the shapes and strides of {@link #matmul}; {@code bias} is viewed
     * at out's shape (broadcast dims carry stride 0). A linear layer's forward: a backend that can
     * start the product from the bias writes the output once instead of twice. This default adds
     * the bias in a second pass.
     */
    default void matmulBias(View a, View b, View bias, View out) {
        matmul(a, b, out);
        binary(BinaryOp.ADD, out, bias, out);
    }

    /**
     * {@code out = relu(a·b + bias)}, a {@code Linear} followed by a {@code ReLU} (PyTorch's
     * {@code _addmm_activation}). This default runs {@link #matmulBias} and the ReLU in place over
     * the fresh product; a backend may fuse the bias and the ReLU into one pass after the product.
     */
    default void matmulBiasRelu(View a, View b, View bias, View out) {
        matmulBias(a, b, bias, out);
        unary(UnaryOp.RELU, out, out, 0, 0);
    }

    /**
     * The bytes that the widest activation of a block of rows should stay within when a stack of
     * row-wise layers is evaluated one block of rows at a time, so that each layer's output is
     * read back by the next from cache instead of memory ({@code nn.Sequential} under no_grad);
     * 0, the default, evaluates whole tensors (a GPU, whose launches are per op).
     */
    default long rowBlockBytes() { return 0; }

    /** {@code out[i] = element of src's storage at absolute offset offsets[i]} (offsets: int64, validated by the caller). */
    void take(View src, View offsets, View out);

    /** {@code dst's storage at offsets[i] (+)= values[i]}; with {@code accumulate}, repeated offsets add up. */
    void put(View dst, View offsets, View values, boolean accumulate);

    /** Fills {@code out} (float) from {@link CounterRng}: uniform on [a, b) or normal(mean a, std b). */
    void random(CounterRng.Kind kind, View out, long seed, long counter, double a, double b);

    /**
     * Performs {@code step} in as few launches as the device allows (one per group of parameters on
     * CUDA; on the CPU one pass per parameter, for Adam and AdamW), or declines by returning false:
     * the caller then runs the optimizer's per-tensor update through the ordinary ops, which is what
     * this default asks for.
     */
    default boolean fusedOptimizerStep(OptimizerStep step) { return false; }

    /** Whether {@link #fusedOptimizerStep} may accept steps at all (callers skip preparing one otherwise). */
    default boolean fusesOptimizerSteps() { return false; }

    /** Waits until all queued work of this device is done. */
    void synchronize();

    /**
     * Runs {@code action} on the host array behind {@code v}, in place, when {@code v} is a dense run
     * of elements in a Java array: {@code action} gets the array, the index of {@code v}'s first
     * element and its element count, and may read and write them while it runs. The storage keeps
     * its array and its ownership; the action must not keep the array. Returns false, running
     * nothing, for memory that is not a host array (the default) or a view that is not dense.
     */
    default boolean onHostArray(String op, View v, HostArrayAction action) { return false; }

    /**
     * Runs {@code action} on the address of the host memory behind {@code v}, in place, when
     * {@code v} is a dense, non-empty run of elements in memory with an address (an off-heap CPU
     * storage), keeping the storage reachable until it returns. Returns false, running nothing,
     * otherwise (the default). How a transfer hands such memory to {@link #uploadFromAddress} and
     * {@link #downloadToAddress} without a Java array in between, and how the process group hands it
     * to MPI ({@code HostMemoryAccess}): the action may read and write the memory, as may a native
     * library it passes the address to, but must not keep the address.
     */
    default boolean withHostAddress(String op, View v, HostAddressAction action) { return false; }

    /**
     * Copies the dense view's elements from host memory at {@code hostAddress} (see
     * {@link HostAddressAction}) into the dense view {@code dst}, or returns false, copying nothing,
     * when this device cannot (the default). The memory must stay allocated until this returns.
     */
    default boolean uploadFromAddress(long hostAddress, View dst) { return false; }

    /**
     * Writes a dense row-major copy of {@code src} to host memory at {@code hostAddress} (room for
     * {@code src.numel()} elements, see {@link HostAddressAction}), or returns false, writing nothing,
     * when this device cannot (the default).
     */
    default boolean downloadToAddress(View src, long hostAddress) { return false; }

    /** What {@link #onHostArray} runs: elements {@code [offset, offset + count)} of {@code array} are the view's. */
    @FunctionalInterface
    interface HostArrayAction {
        void run(Object array, int offset, int count);
    }
}
