package io.flambeau;

import io.flambeau.autograd.ArithmeticFunctions;
import io.flambeau.autograd.GradMode;
import io.flambeau.autograd.ShapeFunctions;
import io.flambeau.autograd.Variable;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.ops.Creation;
import io.flambeau.ops.Generator;
import io.flambeau.ops.RawTensor;

import java.util.List;

/**
 * Entry point, in the spirit of {@code import torch}: tensor factories, seeding, the no-grad
 * scope and the functional forms of multi-tensor ops. Factories put tensors on
 * {@link #defaultDevice()} (the GPU when one is usable) unless given a device.
 *
 * <pre>{@code
 * Torch.manualSeed(0);
 * Tensor a = Torch.rand(2, 3);
 * Tensor b = Torch.arange(6L).reshape(2, 3).toFloat();
 * Tensor c = Torch.cat(List.of(a, b), 0);     // shape (4, 3)
 * try (var g = Torch.noGrad()) {
 *     Tensor e = Torch.eye(3).mul(2.0);
 * }
 * }</pre>
 */
public final class Torch {
    private Torch() {}

    // ---- devices -----------------------------------------------------------------------------

    /** Where factories put tensors: {@code cuda:0} when a GPU is usable, else the CPU (see {@link DeviceSelection}). */
    public static Device defaultDevice() { return DeviceSelection.defaultDevice(); }

    public static Device device(String spec) { return Device.parse(spec); }

    // ---- dtypes, by PyTorch's names -----------------------------------------------------------
    // DType and Device live in io.flambeau.core because every layer below the API names them; these
    // constants let a program say torch.float32 as Torch.float32 with only io.flambeau imported
    // (bool is a Java keyword, hence bool_, as NumPy spells it).

    /** {@code torch.float32}, the default floating type. */
    public static final DType float32 = DType.FLOAT32;
    /** {@code torch.float64}. */
    public static final DType float64 = DType.FLOAT64;
    /** {@code torch.int64}, the type of indices. */
    public static final DType int64 = DType.INT64;
    /** {@code torch.bool}. */
    public static final DType bool_ = DType.BOOL;
    /** {@code torch.device("cpu")}. */
    public static final Device cpu = Device.CPU;

    // ---- from Java data ----------------------------------------------------------------------

    /**
     * A tensor from nested Java data: primitive arrays of any depth ({@code float[][]} → float32,
     * {@code double[]} → float64, {@code long[]}/{@code int[]} → int64, {@code boolean[]} → bool),
     * nested {@code List}s (Python's rules: any floating element → float32, else int64, else bool),
     * or a boxed scalar (0-D). Ragged data is an error.
     */
    public static Tensor tensor(Object data) {
        HostArrays.Flat f = HostArrays.flatten(data);
        return Tensor.of(RawTensor.fromHost(f.values(), f.shape(), defaultDevice()));
    }

    public static Tensor tensor(Object data, DType dtype) {
        if (dtype == DType.INT64) HostArrays.checkInt64("tensor", data);
        return tensor(data).to(dtype);
    }

    public static Tensor tensor(Object data, DType dtype, Device device) {
        if (dtype == DType.INT64) HostArrays.checkInt64("tensor", data);
        HostArrays.Flat f = HostArrays.flatten(data);
        return Tensor.of(io.flambeau.ops.Elementwise.cast(RawTensor.fromHost(f.values(), f.shape(), device), dtype));
    }

    /** PyTorch's {@code FloatTensor(data)}: always float32. */
    public static Tensor floatTensor(Object data) { return tensor(data, DType.FLOAT32); }

    /** PyTorch's {@code LongTensor(data)}: always int64. */
    public static Tensor longTensor(Object data) { return tensor(data, DType.INT64); }

    // ---- filled ------------------------------------------------------------------------------

    public static Tensor zeros(long... shape) { return zeros(DType.FLOAT32, shape); }
    public static Tensor zeros(DType dtype, long... shape) { return Tensor.of(Creation.zeros(shape, dtype, defaultDevice())); }
    public static Tensor ones(long... shape) { return ones(DType.FLOAT32, shape); }
    public static Tensor ones(DType dtype, long... shape) { return Tensor.of(Creation.ones(shape, dtype, defaultDevice())); }

    /** Uninitialised in principle; Flambeau hands out zeros so that nothing leaks between tensors. */
    public static Tensor empty(long... shape) { return zeros(shape); }

    public static Tensor full(long[] shape, double value) { return full(shape, value, DType.FLOAT32, defaultDevice()); }

    public static Tensor full(long[] shape, double value, DType dtype, Device device) {
        return Tensor.of(Creation.full(shape, value, dtype, device));
    }

    public static Tensor zerosLike(Tensor t) { return full(t.shape().toArray(), 0, t.dtype(), t.device()); }
    public static Tensor onesLike(Tensor t) { return full(t.shape().toArray(), 1, t.dtype(), t.device()); }

    public static Tensor eye(long n) { return eye(n, n); }
    public static Tensor eye(long n, long m) { return Tensor.of(Creation.eye(n, m, DType.FLOAT32, defaultDevice())); }

    /** float32 {@code [0, end)} by 1. */
    public static Tensor arange(double end) { return arange(0.0, end, 1.0); }
    public static Tensor arange(double start, double end) { return arange(start, end, 1.0); }
    public static Tensor arange(double start, double end, double step) {
        return Tensor.of(Creation.arange(start, end, step, DType.FLOAT32, defaultDevice()));
    }

    /** int64 {@code [0, end)}: integer arguments give integer tensors, as in PyTorch. */
    public static Tensor arange(long end) { return arange(0L, end, 1L); }
    public static Tensor arange(long start, long end) { return arange(start, end, 1L); }
    public static Tensor arange(long start, long end, long step) {
        return Tensor.of(Creation.arange(start, end, step, defaultDevice()));
    }

    /** int64 {@code [start, end)} by {@code step}, made on {@code device} ({@code torch.arange(..., device=d)}). */
    public static Tensor arange(long start, long end, long step, Device device) {
        return Tensor.of(Creation.arange(start, end, step, device));
    }

    public static Tensor arange(double start, double end, double step, DType dtype) {
        return Tensor.of(Creation.arange(start, end, step, dtype, defaultDevice())); // int64 after the bounds' check
    }

    public static Tensor linspace(double start, double end, long steps) {
        return Tensor.of(Creation.linspace(start, end, steps, DType.FLOAT32, defaultDevice()));
    }

    // ---- random ------------------------------------------------------------------------------

    /** Seeds the global generator: the same seed gives the same numbers on every device. */
    public static void manualSeed(long seed) { Generator.DEFAULT.manualSeed(seed); }

    /** A private generator, for per-call seeding: {@code Torch.rand(Torch.generator(7), 3)}. */
    public static Generator generator(long seed) { return new Generator(seed); }

    public static Tensor rand(long... shape) { return rand(Generator.DEFAULT, shape); }
    public static Tensor rand(Generator g, long... shape) {
        return Tensor.of(Creation.rand(shape, DType.FLOAT32, defaultDevice(), g));
    }
    public static Tensor randn(long... shape) { return randn(Generator.DEFAULT, shape); }
    public static Tensor randn(Generator g, long... shape) {
        return Tensor.of(Creation.randn(shape, DType.FLOAT32, defaultDevice(), g));
    }
    /** int64 uniform on {@code [low, high)}. */
    public static Tensor randint(long low, long high, long... shape) {
        return Tensor.of(Creation.randint(low, high, shape, defaultDevice(), Generator.DEFAULT));
    }

    // ---- functional forms --------------------------------------------------------------------

    public static Tensor cat(List<Tensor> tensors, long dim) {
        return new Tensor(ShapeFunctions.cat(variables("cat", tensors), dim));
    }

    public static Tensor cat(List<Tensor> tensors) { return cat(tensors, 0); }

    public static Tensor stack(List<Tensor> tensors, long dim) {
        return new Tensor(ShapeFunctions.stack(variables("stack", tensors), dim));
    }

    public static Tensor stack(List<Tensor> tensors) { return stack(tensors, 0); }

    /** The tensors' variables; a null list or element is PyTorch's error for a None there, naming the call. */
    private static List<io.flambeau.autograd.Variable> variables(String op, List<Tensor> tensors) {
        if (tensors == null) {
            throw new io.flambeau.core.DataException(op + "(): argument 'tensors' must be a list of Tensors, not null");
        }
        List<io.flambeau.autograd.Variable> out = new java.util.ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t == null) {
                throw new io.flambeau.core.DataException(op + "(): expected Tensor as element " + i
                        + " in argument 0, but got null");
            }
            out.add(t.variable());
        }
        return out;
    }

    /** {@code cond ? a : b} elementwise, with broadcasting. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return new Tensor(ArithmeticFunctions.where(cond.variable(), a.variable(), b.variable()));
    }

    public static Tensor matmul(Tensor a, Tensor b) { return a.matmul(b); }

    /** {@code bias + mat1·mat2}, as {@code torch.addmm(bias, mat1, mat2)}; see {@link Tensor#addmm}. */
    public static Tensor addmm(Tensor bias, Tensor mat1, Tensor mat2) { return bias.addmm(mat1, mat2); }

    public static Tensor maximum(Tensor a, Tensor b) { return a.maximum(b); }

    public static Tensor minimum(Tensor a, Tensor b) { return a.minimum(b); }

    // ---- autograd ----------------------------------------------------------------------------

    /** {@code with torch.no_grad():} as try-with-resources: ops inside record no graph. */
    public static GradMode.Guard noGrad() { return GradMode.disable(); }

    public static GradMode.Guard enableGrad() { return GradMode.enable(); }

    public static boolean isGradEnabled() { return GradMode.isEnabled(); }

    static Tensor wrap(Variable v) { return new Tensor(v); }
}
