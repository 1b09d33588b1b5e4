package io.flambeau;

import io.flambeau.autograd.ArithmeticFunctions;
import io.flambeau.autograd.DeviceFunctions;
import io.flambeau.autograd.Engine;
import io.flambeau.autograd.IndexFunctions;
import io.flambeau.autograd.InPlace;
import io.flambeau.autograd.LinalgFunctions;
import io.flambeau.autograd.ReductionFunctions;
import io.flambeau.autograd.ShapeFunctions;
import io.flambeau.autograd.UnaryFunctions;
import io.flambeau.autograd.Variable;
import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.UnaryOp;
import io.flambeau.core.DType;
import io.flambeau.core.DataException;
import io.flambeau.core.Device;
import io.flambeau.core.TensorFormatter;
import io.flambeau.ops.RawTensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A multi-dimensional array on a device, with PyTorch's semantics: broadcasting, type promotion,
 * views that share memory, and reverse-mode autograd. Methods keep PyTorch's names; in-place
 * variants end with an underscore ({@code add_}). Factories live in {@link Torch}.
 *
 * <pre>{@code
 * Tensor w = Torch.randn(3, 2).requiresGrad_();
 * Tensor x = Torch.tensor(new float[][] {{1, 2}, {3, 4}});
 * Tensor loss = x.matmul(w.t()).relu().sum();
 * loss.backward();
 * System.out.println(w.grad());   // prints as PyTorch does: tensor([[...]])
 * }</pre>
 */
public final class Tensor {
    private final Variable v;

    Tensor(Variable v) {
        this.v = v;
    }

    static Tensor of(RawTensor r) {
        return new Tensor(new Variable(r));
    }

    /** The autograd-level variable behind this tensor, for this package's classes (not part of the API). */
    Variable variable() { return v; }

    // ---- metadata ----------------------------------------------------------------------------

    public Shape shape() { return new Shape(v.data.shape); }

    /** PyTorch's {@code size(dim)}. */
    public long size(long dim) { return v.data.shape[io.flambeau.ops.Shapes.normalizeDim("size", dim, dim())]; }

    public int dim() { return v.data.dim(); }

    public long numel() { return v.data.numel(); }

    public DType dtype() { return v.data.dtype(); }

    public Device device() { return v.data.device(); }

    public long[] stride() { return v.data.strides.clone(); }

    public long storageOffset() { return v.data.offset; }

    public boolean isContiguous() { return v.data.isContiguous(); }

    /**
     * Releases this tensor's memory now (device memory goes back to the caching allocator). Views
     * share the memory, so they are released too; any later use of them throws
     * {@link io.flambeau.core.ClosedTensorException}. Closing twice is harmless. For whole loop
     * bodies, {@link Scope} does this for every tensor created inside it.
     */
    public void close() { v.data.storage.close(); }

    /** Whether this tensor's memory was released ({@link #close()} or the end of its {@link Scope}). */
    public boolean isClosed() { return v.data.storage.isClosed(); }

    /**
     * The device address of this tensor's first element (PyTorch's {@code data_ptr()}), for handing the
     * memory to another CUDA library. Flambeau queues its work on {@link Cuda#stream}; a library
     * reading the memory on another stream must first wait for it ({@link Cuda#synchronize}). The
     * address stays valid while the tensor is open.
     *
     * A CPU tensor whose storage lives off the Java heap (more than {@code flambeau.cpu.offHeapAbove}
     * elements) has a host address too, which native libraries (MPI, pinned copies) may read in place.
     *
     * @throws io.flambeau.core.DeviceException for a CPU tensor whose elements live in a Java array
     */
    public long dataPtr() {
        if (!device().isCuda() && !v.data.storage.addressable()) {
            throw new io.flambeau.core.DeviceException("dataPtr(): the tensor is on " + device()
                    + ", whose elements live in a Java array with no stable address; move it with to(Device.cuda(0)) first");
        }
        v.data.storage.checkOpen("dataPtr");
        return v.data.storage.dataPtr() + v.data.offset * dtype().byteSize();
    }

    /** Identity of the memory block behind this tensor: equal for tensors that share storage (PyTorch's {@code storage().data_ptr()}). */
    public long storageDataPtr() { return v.data.storage.dataPtr(); }

    /** True when both tensors are views of the same memory. */
    public boolean sharesStorageWith(Tensor other) { return v.data.storage == other.v.data.storage; }

    // ---- conversion --------------------------------------------------------------------------

    /** The single element of a one-element tensor, as a double. */
    public double item() {
        checkOpen("item()");
        checkOneElement();
        return v.data.toDoubles()[0];
    }

    /** The single element of a one-element integer tensor, exactly. */
    public long longItem() {
        checkOpen("longItem()");
        checkOneElement();
        return v.data.toLongs()[0];
    }

    /**
     * Reading a released tensor names the user's call and the fixes, instead of the backend's
     * kernel that would find the storage closed.
     */
    private void checkOpen(String call) {
        if (!isClosed()) return;
        throw new io.flambeau.core.ClosedTensorException(call + ": this " + dtype().pyName() + " tensor of shape " + shape()
                + " was released (by close(), or by the end of the Scope it was created in), so its values are gone;"
                + " read what you need before the scope closes, keep the tensor with scope.keep(tensor), or create it"
                + " outside the scope (Scope.outside(...))");
    }

    private void checkOneElement() {
        if (numel() != 1) {
            throw new DataException("item: a Tensor with " + numel() + " elements cannot be converted to a scalar;"
                    + " only one-element tensors can (shape here: " + shape() + ")");
        }
    }

    /** Flat row-major copies in the requested element type. */
    public float[] toFloatArray() {
        checkOpen("toFloatArray()");
        Object h = v.data.toHost();
        if (h instanceof float[] f) return f;
        double[] d = v.data.toDoubles();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    public double[] toDoubleArray() {
        checkOpen("toDoubleArray()");
        return v.data.toDoubles();
    }

    public long[] toLongArray() {
        checkOpen("toLongArray()");
        return v.data.toLongs();
    }

    public boolean[] toBooleanArray() {
        checkOpen("toBooleanArray()");
        double[] d = v.data.toDoubles();
        boolean[] b = new boolean[d.length];
        for (int i = 0; i < d.length; i++) b[i] = d[i] != 0;
        return b;
    }

    /** A nested primitive array of the tensor's element type ({@code float[][]} for 2-D float32; the boxed scalar for 0-D). */
    public Object toArray() {
        checkOpen("toArray()");
        Object flat = v.data.toHost();
        if (dim() == 0) return java.lang.reflect.Array.get(flat, 0);
        return HostArrays.toNested(flat, v.data.shape);
    }

    /** PyTorch's {@code tolist()}: nested {@code List}s of Double, Long or Boolean (a bare value for 0-D). */
    public Object tolist() {
        checkOpen("tolist()");
        return HostArrays.toList(v.data.toHost(), v.data.shape);
    }

    // ---- devices and dtypes ------------------------------------------------------------------

    /** A copy on another device (this tensor when already there); gradients flow back. */
    public Tensor to(Device device) { return new Tensor(DeviceFunctions.to(v, device)); }

    public Tensor to(String device) { return to(Device.parse(device)); }

    public Tensor to(DType dtype) { return new Tensor(ShapeFunctions.to(v, dtype)); }

    public Tensor cpu() { return to(Device.CPU); }

    public Tensor cuda() { return to(Device.cuda(0)); }

    public Tensor toFloat() { return to(DType.FLOAT32); }

    public Tensor toDouble() { return to(DType.FLOAT64); }

    public Tensor toLong() { return to(DType.INT64); }

    public Tensor toBool() { return to(DType.BOOL); }

    // ---- autograd ----------------------------------------------------------------------------

    public boolean requiresGrad() { return v.requiresGrad(); }

    /** Marks this leaf as needing a gradient; returns this tensor. */
    public Tensor requiresGrad_(boolean value) {
        v.setRequiresGrad(value);
        return this;
    }

    public Tensor requiresGrad_() { return requiresGrad_(true); }

    /** The gradient accumulated by backward (leaves only), or null. */
    public Tensor grad() {
        RawTensor g = v.grad();
        return g == null ? null : of(g);
    }

    /**
     * Clears the gradient ({@code t.grad = None}). A gradient that backward allocated is released
     * at once (its memory serves the next backward, as PyTorch's refcount frees it): a handle to it
     * read before this call is then closed, so clone it to keep its values. A gradient assigned
     * with {@link #setGrad} is only dropped.
     */
    public void clearGrad() { v.dropGrad(); }

    /**
     * Sets the gradient of this leaf ({@code t.grad = g}; null clears it). The gradient must match
     * the tensor's shape, dtype and device, as PyTorch requires.
     */
    public void setGrad(Tensor g) {
        if (g != null) {
            if (!g.shape().equals(shape())) {
                throw new io.flambeau.core.ShapeException("setGrad: assigned grad has shape " + g.shape()
                        + " but the tensor has shape " + shape());
            }
            if (g.dtype() != dtype()) {
                throw new io.flambeau.core.DTypeException("setGrad: assigned grad has dtype " + g.dtype()
                        + " but the tensor has dtype " + dtype());
            }
            if (!g.device().equals(device())) {
                throw new io.flambeau.core.DeviceException("setGrad: assigned grad is on " + g.device()
                        + " but the tensor is on " + device());
            }
        }
        // a leaf's gradient lives across steps: no per-step scope may release it
        if (g != null) io.flambeau.backend.StorageScope.untrack(g.v.data.storage);
        v.setGrad(g == null ? null : g.v.data);
    }

    public boolean isLeaf() { return v.isLeaf(); }

    /**
     * Runs {@code hook} with this leaf each time backward has accumulated its gradient into
     * {@link #grad()} (PyTorch's {@code register_post_accumulate_grad_hook}); what
     * {@code DistributedDataParallel} starts its all-reduces from. Returns the handle that removes it.
     */
    public RemovableHandle registerPostAccumulateGradHook(java.util.function.Consumer<Tensor> hook) {
        if (!isLeaf() || !requiresGrad()) {
            throw new io.flambeau.core.AutogradException("registerPostAccumulateGradHook: post accumulate grad hooks can"
                    + " only be registered on leaf tensors that require grad");
        }
        return new RemovableHandle(v.addPostAccumulateGradHook(() -> hook.accept(this)));
    }

    /** The name of the node that produced this tensor ({@code "AddBackward0"}), or null for leaves. */
    public String gradFn() { return v.gradFn() == null ? null : v.gradFn().name(); }

    public void backward() { backward(false); }

    public void backward(boolean retainGraph) {
        checkOpen("backward()");
        Engine.backward(v, retainGraph);
    }

    public void backward(Tensor gradient) { backward(gradient, false); }

    public void backward(Tensor gradient, boolean retainGraph) {
        checkOpen("backward()");
        Variable g = arg("backward", "gradient", gradient);
        gradient.checkOpen("backward(gradient): the gradient passed in");
        Engine.backward(v, g.data, retainGraph);
    }

    /** The same data, cut from the graph. */
    public Tensor detach() { return new Tensor(v.detach()); }

    /** A dense copy that stays in the graph. */
    public Tensor clone() { return new Tensor(ShapeFunctions.clone(v)); }

    // ---- arithmetic --------------------------------------------------------------------------

    public Tensor add(Tensor o) { return binary(BinaryOp.ADD, o); }
    public Tensor add(double s) { return withNumber(BinaryOp.ADD, s); }
    public Tensor add(long s) { return withNumber(BinaryOp.ADD, s); }
    public Tensor sub(Tensor o) { return binary(BinaryOp.SUB, o); }
    public Tensor sub(double s) { return withNumber(BinaryOp.SUB, s); }
    public Tensor sub(long s) { return withNumber(BinaryOp.SUB, s); }
    /** {@code s - this} (PyTorch's {@code rsub}, Python's {@code 1 - x}). */
    public Tensor rsub(double s) { return new Tensor(ArithmeticFunctions.numberWith(BinaryOp.SUB, s, v)); }
    public Tensor rsub(long s) { return new Tensor(ArithmeticFunctions.numberWith(BinaryOp.SUB, s, v)); }
    public Tensor mul(Tensor o) { return binary(BinaryOp.MUL, o); }
    public Tensor mul(double s) { return withNumber(BinaryOp.MUL, s); }
    public Tensor mul(long s) { return withNumber(BinaryOp.MUL, s); }
    public Tensor div(Tensor o) { return binary(BinaryOp.DIV, o); }
    public Tensor div(double s) { return withNumber(BinaryOp.DIV, s); }
    public Tensor div(long s) { return withNumber(BinaryOp.DIV, s); }
    /** {@code s / this}. */
    public Tensor rdiv(double s) { return new Tensor(ArithmeticFunctions.numberWith(BinaryOp.DIV, s, v)); }
    public Tensor pow(Tensor o) { return binary(BinaryOp.POW, o); }
    public Tensor pow(double s) { return withNumber(BinaryOp.POW, s); }
    public Tensor pow(long s) { return withNumber(BinaryOp.POW, s); }
    public Tensor maximum(Tensor o) { return binary(BinaryOp.MAXIMUM, o); }
    public Tensor minimum(Tensor o) { return binary(BinaryOp.MINIMUM, o); }

    /** {@code this op o} between tensors; a missing {@code o} is refused naming the op. */
    private Tensor binary(BinaryOp op, Tensor o) {
        return new Tensor(ArithmeticFunctions.binary(op, v, arg(op.torchName(), "other", o)));
    }

    private Tensor withNumber(BinaryOp op, double s) { return new Tensor(ArithmeticFunctions.withNumber(op, v, s)); }

    private Tensor withNumber(BinaryOp op, long s) { return new Tensor(ArithmeticFunctions.withNumber(op, v, s)); }

    // ---- comparisons (bool results, no gradient) ---------------------------------------------

    public Tensor eq(Tensor o) { return cmp(BinaryOp.EQ, o); }
    public Tensor ne(Tensor o) { return cmp(BinaryOp.NE, o); }
    public Tensor lt(Tensor o) { return cmp(BinaryOp.LT, o); }
    public Tensor le(Tensor o) { return cmp(BinaryOp.LE, o); }
    public Tensor gt(Tensor o) { return cmp(BinaryOp.GT, o); }
    public Tensor ge(Tensor o) { return cmp(BinaryOp.GE, o); }
    public Tensor eq(double s) { return withNumber(BinaryOp.EQ, s); }
    public Tensor ne(double s) { return withNumber(BinaryOp.NE, s); }
    public Tensor lt(double s) { return withNumber(BinaryOp.LT, s); }
    public Tensor le(double s) { return withNumber(BinaryOp.LE, s); }
    public Tensor gt(double s) { return withNumber(BinaryOp.GT, s); }
    public Tensor ge(double s) { return withNumber(BinaryOp.GE, s); }
    public Tensor logicalAnd(Tensor o) { return cmp(BinaryOp.AND, of("logical_and", "other", o).toBool()).toBool(); }
    public Tensor logicalOr(Tensor o) { return cmp(BinaryOp.OR, of("logical_or", "other", o).toBool()).toBool(); }
    public Tensor logicalNot() { return unary(UnaryOp.NOT); }

    /**
     * {@code t} itself, or PyTorch's error for a missing tensor argument (Python's {@code None}):
     * a typed error naming the call, not a {@code NullPointerException} from inside it.
     */
    static Tensor of(String op, String argument, Tensor t) {
        if (t == null) {
            throw new DataException(op + "(): argument '" + argument + "' must be a Tensor, not null");
        }
        return t;
    }

    private static Variable arg(String op, String argument, Tensor t) { return of(op, argument, t).v; }

    private Tensor cmp(BinaryOp op, Tensor o) {
        return new Tensor(ArithmeticFunctions.compare(op, v, arg(op.torchName(), "other", o)));
    }

    /** True when both tensors have the same shape and elements ({@code torch.equal}). */
    public boolean equal(Tensor o) {
        of("equal", "other", o);
        return shape().equals(o.shape()) && (numel() == 0 || eq(o).all());
    }

    /** True when every element is non-zero. */
    public boolean all() {
        for (boolean b : toBooleanArray()) if (!b) return false;
        return true;
    }

    /** {@code |this - other| <= atol + rtol * |other|} everywhere ({@code torch.allclose}). */
    public boolean allclose(Tensor other, double rtol, double atol) {
        // both sides broadcast, as torch.allclose; a mismatch is reported as allclose's own
        long[] both = io.flambeau.ops.Shapes.broadcast("allclose", shape().toArray(), of("allclose", "other", other).shape().toArray());
        double[] a = expand(both).toDoubleArray(), b = other.expand(both).toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i])) && !(a[i] == b[i])) return false;
        }
        return true;
    }

    // ---- unary functions ---------------------------------------------------------------------

    public Tensor neg() { return unary(UnaryOp.NEG); }
    public Tensor abs() { return unary(UnaryOp.ABS); }
    public Tensor sign() { return unary(UnaryOp.SIGN); }
    public Tensor exp() { return unary(UnaryOp.EXP); }
    public Tensor log() { return unary(UnaryOp.LOG); }
    public Tensor sqrt() { return unary(UnaryOp.SQRT); }
    public Tensor square() { return unary(UnaryOp.SQUARE); }
    public Tensor sin() { return unary(UnaryOp.SIN); }
    public Tensor cos() { return unary(UnaryOp.COS); }
    public Tensor tanh() { return unary(UnaryOp.TANH); }
    public Tensor sigmoid() { return unary(UnaryOp.SIGMOID); }
    public Tensor relu() { return unary(UnaryOp.RELU); }
    public Tensor reciprocal() { return unary(UnaryOp.RECIPROCAL); }
    /** {@code log(1 + x)}, accurate for small x ({@code torch.log1p}). */
    public Tensor log1p() { return unary(UnaryOp.LOG1P); }
    /** {@code exp(x) - 1}, accurate for small x ({@code torch.expm1}). */
    public Tensor expm1() { return unary(UnaryOp.EXPM1); }
    /** The Gauss error function ({@code torch.erf}). */
    public Tensor erf() { return unary(UnaryOp.ERF); }
    /** {@code x Phi(x)}, Phi the standard normal distribution function: {@code gelu(x)}, approximate "none". */
    public Tensor gelu() { return unary(UnaryOp.GELU); }
    /** {@code gelu(x, approximate=...)}: "none" (the exact form) or "tanh" (PyTorch's tanh approximation). */
    public Tensor gelu(String approximate) {
        return switch (approximate) {
            case "none" -> unary(UnaryOp.GELU);
            case "tanh" -> unary(UnaryOp.GELU_TANH);
            default -> throw new DataException("gelu: approximate argument must be either none or tanh, got '"
                    + approximate + "'");
        };
    }
    public Tensor leakyRelu(double negativeSlope) { return new Tensor(UnaryFunctions.apply(UnaryOp.LEAKY_RELU, v, negativeSlope, 0)); }
    public Tensor leakyRelu() { return leakyRelu(0.01); }
    /** Limits to {@code [min, max]}; pass {@code Double.NaN} for no bound on one side. */
    public Tensor clamp(double min, double max) { return new Tensor(UnaryFunctions.apply(UnaryOp.CLAMP, v, min, max)); }
    public Tensor clampMin(double min) { return clamp(min, Double.NaN); }
    public Tensor clampMax(double max) { return clamp(Double.NaN, max); }

    private Tensor unary(UnaryOp op) { return new Tensor(UnaryFunctions.apply(op, v)); }

    // ---- reductions --------------------------------------------------------------------------

    public Tensor sum() { return new Tensor(ReductionFunctions.sum(v)); }
    public Tensor sum(long dim) { return sum(dim, false); }
    public Tensor sum(long dim, boolean keepdim) { return new Tensor(ReductionFunctions.sum(v, dim, keepdim)); }
    public Tensor mean() { return new Tensor(ReductionFunctions.mean(v)); }
    public Tensor mean(long dim) { return mean(dim, false); }
    public Tensor mean(long dim, boolean keepdim) { return new Tensor(ReductionFunctions.mean(v, dim, keepdim)); }
    public Tensor max() { return new Tensor(ReductionFunctions.extreme(v, true)); }
    public Tensor min() { return new Tensor(ReductionFunctions.extreme(v, false)); }
    public ValuesIndices max(long dim) { return max(dim, false); }
    public ValuesIndices min(long dim) { return min(dim, false); }
    public ValuesIndices max(long dim, boolean keepdim) { return valuesIndices(ReductionFunctions.extreme(v, dim, keepdim, true)); }
    public ValuesIndices min(long dim, boolean keepdim) { return valuesIndices(ReductionFunctions.extreme(v, dim, keepdim, false)); }
    public Tensor argmax() { return new Tensor(ReductionFunctions.argExtreme(v, null, false, true)); }
    public Tensor argmin() { return new Tensor(ReductionFunctions.argExtreme(v, null, false, false)); }
    public Tensor argmax(long dim) { return argmax(dim, false); }
    public Tensor argmin(long dim) { return argmin(dim, false); }
    public Tensor argmax(long dim, boolean keepdim) { return new Tensor(ReductionFunctions.argExtreme(v, dim, keepdim, true)); }
    public Tensor argmin(long dim, boolean keepdim) { return new Tensor(ReductionFunctions.argExtreme(v, dim, keepdim, false)); }

    private static ValuesIndices valuesIndices(Variable[] vi) {
        return new ValuesIndices(new Tensor(vi[0]), new Tensor(vi[1]));
    }

    // ---- linear algebra ----------------------------------------------------------------------

    public Tensor matmul(Tensor o) { return new Tensor(LinalgFunctions.matmul(v, arg("matmul", "other", o))); }

    /**
     * {@code this + mat1·mat2} ({@code torch.addmm}): matrices mat1 (n, m) and mat2 (m, p), this
     * broadcastable to (n, p), all of one dtype. A linear layer's forward in one product.
     */
    public Tensor addmm(Tensor mat1, Tensor mat2) { return new Tensor(LinalgFunctions.addmm(v, arg("addmm", "mat1", mat1), arg("addmm", "mat2", mat2))); }

    /**
     * {@code relu(this + mat1·mat2)} as one op (PyTorch's {@code _addmm_activation}): the ReLU
     * reuses the product's buffer, so a linear layer followed by a ReLU writes one tensor, not two.
     */
    public Tensor addmmRelu(Tensor mat1, Tensor mat2) { return new Tensor(LinalgFunctions.addmmRelu(v, arg("addmm", "mat1", mat1), arg("addmm", "mat2", mat2))); }

    public Tensor mm(Tensor o) {
        of("mm", "mat2", o);
        if (dim() != 2 || o.dim() != 2) {
            throw new io.flambeau.core.ShapeException("mm: expects 2-D tensors, got shapes " + shape() + " and " + o.shape()
                    + "; use matmul for other ranks");
        }
        io.flambeau.ops.Linalg.checkSameDtype("mm", dtype(), o.dtype());
        return matmul(o);
    }

    // ---- views and shapes --------------------------------------------------------------------

    public Tensor view(long... shape) { return new Tensor(ShapeFunctions.view(v, shape)); }
    public Tensor reshape(long... shape) { return new Tensor(ShapeFunctions.reshape(v, shape)); }
    public Tensor flatten() { return flatten(0, -1); }
    public Tensor flatten(long startDim, long endDim) { return new Tensor(ShapeFunctions.flatten(v, startDim, endDim)); }
    public Tensor permute(int... dims) { return new Tensor(ShapeFunctions.permute(v, dims)); }
    public Tensor transpose(long d0, long d1) { return new Tensor(ShapeFunctions.transpose(v, d0, d1)); }
    public Tensor t() { return new Tensor(ShapeFunctions.t(v)); }
    public Tensor expand(long... sizes) { return new Tensor(ShapeFunctions.expand(v, sizes)); }
    public Tensor expandAs(Tensor other) { return expand(other.shape().toArray()); }
    public Tensor squeeze() { return new Tensor(ShapeFunctions.squeeze(v)); }
    public Tensor squeeze(long dim) { return new Tensor(ShapeFunctions.squeeze(v, dim)); }
    public Tensor unsqueeze(long dim) { return new Tensor(ShapeFunctions.unsqueeze(v, dim)); }
    public Tensor contiguous() { return new Tensor(ShapeFunctions.contiguous(v)); }

    // ---- indexing ----------------------------------------------------------------------------

    /** {@code this[items]}: see {@link Index} for the item forms. Basic indexing returns a view. */
    public Tensor get(Object... items) {
        return new Tensor(IndexFunctions.index(v, Index.parse(items, device())));
    }

    /** {@code this[index] = value}, in place; {@code index} is one item, an {@code Object[]} of items, or an expression string. */
    public Tensor set(Object index, Object value) {
        Object[] items = index instanceof Object[] arr ? arr : new Object[] {index};
        var parsed = Index.parse(items, device());
        switch (value) {
            case Tensor t -> IndexFunctions.indexPut(v, parsed, t.device().equals(device()) ? t.v : t.to(device()).v);
            case Boolean b -> IndexFunctions.indexFill(v, parsed, b ? 1 : 0);
            case Number n -> IndexFunctions.indexFill(v, parsed, io.flambeau.ops.Int64Conversion.scalar("set", n, v.data.dtype()));
            default -> throw new DataException("set: the value must be a Tensor, a number or a boolean, got "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        return this;
    }

    // ---- in-place ----------------------------------------------------------------------------

    public Tensor add_(Tensor o) { return inPlace(BinaryOp.ADD, o); }
    public Tensor add_(double s) { InPlace.withNumber(BinaryOp.ADD, v, s); return this; }
    public Tensor sub_(Tensor o) { return inPlace(BinaryOp.SUB, o); }
    public Tensor sub_(double s) { InPlace.withNumber(BinaryOp.SUB, v, s); return this; }
    public Tensor mul_(Tensor o) { return inPlace(BinaryOp.MUL, o); }
    public Tensor mul_(double s) { InPlace.withNumber(BinaryOp.MUL, v, s); return this; }
    public Tensor div_(Tensor o) { return inPlace(BinaryOp.DIV, o); }
    public Tensor div_(double s) { InPlace.withNumber(BinaryOp.DIV, v, s); return this; }

    /** {@code this op= o}; a missing {@code o} is refused naming the in-place op ({@code add_}). */
    private Tensor inPlace(BinaryOp op, Tensor o) {
        InPlace.binary(op, v, arg(op.torchName() + "_", "other", o));
        return this;
    }

    public Tensor zero_() { InPlace.fill(v, 0); return this; }
    public Tensor fill_(double value) { InPlace.fill(v, value); return this; }
    public Tensor copy_(Tensor src) { of("copy_", "src", src); InPlace.copy(v, src.device().equals(device()) ? src.v : src.to(device()).v); return this; }

    // ---- printing ----------------------------------------------------------------------------

    /** Exactly PyTorch's {@code str(tensor)}. */
    @Override
    public String toString() {
        checkOpen("toString()");
        List<String> suffixes = new ArrayList<>();
        if (device().isCuda()) suffixes.add("device='" + device() + "'");
        if (TensorFormatter.needsDtypeSuffix(dtype(), numel() == 0)) suffixes.add(TensorFormatter.dtypeSuffix(dtype()));
        if (v.gradFn() != null) suffixes.add("grad_fn=<" + v.gradFn().name() + ">");
        else if (v.requiresGrad()) suffixes.add("requires_grad=True");
        // only the elements str() shows leave the device: a few hundred, whatever the tensor's size
        RawTensor shown = io.flambeau.ops.Printing.shownElements(v.data);
        if (dtype() == DType.INT64) return TensorFormatter.formatShown(v.data.shape, dtype(), shown.toLongs(), suffixes);
        return TensorFormatter.formatShown(v.data.shape, dtype(), shown.toDoubles(), suffixes);
    }

    /** Creates a tensor of the same device/dtype family (used by {@link Torch}). */
    static Tensor wrap(RawTensor r, boolean requiresGrad) {
        Tensor t = of(r);
        if (requiresGrad) t.requiresGrad_(true);
        return t;
    }
}
