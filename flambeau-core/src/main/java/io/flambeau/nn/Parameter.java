package io.flambeau.nn;

import io.flambeau.Scope;
import io.flambeau.Shape;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.Device;

import java.util.ArrayList;
import java.util.List;

/**
 * A learnable tensor of a {@link Module}: PyTorch's {@code nn.Parameter}.
 *
 * <p>{@link Tensor} is a final class, so a parameter is a small holder around a leaf tensor that
 * requires grad rather than a tensor subclass. Forward code reads it with {@link #tensor()};
 * optimizers hold on to the {@code Parameter} object and read its current tensor and gradient
 * at every step. That indirection is what lets {@link Module#to(Device)} move a model to another
 * device after an optimizer was built: the holder keeps its identity and gets a new tensor.
 *
 * <p>Plain tensors work with optimizers too (the §4–§5 style of the course, where the learnable
 * values are bare tensors): {@link #listOf(Tensor...)} wraps them without copying, so the caller's
 * own tensor handles see every update and gradient.
 *
 * <pre>{@code
 * Tensor w = Torch.randn(2, 3).requiresGrad_();
 * Tensor b = Torch.zeros(3).requiresGrad_();
 * Optimizer opt = new SGD(Parameter.listOf(w, b), 0.1);   // bare tensors, updated in place
 * }</pre>
 */
public final class Parameter {
    private Tensor tensor;
    private volatile String name; // the dotted name a module lists it under, for messages; null until then

    /**
     * A parameter over {@code data}. A leaf tensor is used as is (marked as requiring grad), so the
     * caller's handle and the parameter are the same tensor; a tensor produced by an op is detached
     * first, giving a leaf that shares its memory.
     */
    public Parameter(Tensor data) {
        Tensor leaf = data.isLeaf() ? data : data.detach();
        this.tensor = leaf.requiresGrad() ? leaf : leaf.requiresGrad_(true);
        Scope.untrack(tensor); // a model outlives the step: no per-step scope may release its parameters
    }

    /** Wraps each tensor as a parameter (no copies): {@code new SGD(Parameter.listOf(a, b), 0.1)}. */
    public static List<Parameter> listOf(Tensor... tensors) {
        List<Parameter> out = new ArrayList<>(tensors.length);
        for (Tensor t : tensors) out.add(new Parameter(t));
        return out;
    }

    /** The dotted name of this parameter in its module ({@code "fc1.weight"}), once a module listed it; else null. */
    public String name() { return name; }

    /** Records the name a module lists this parameter under (the first one, when shared). */
    void nameIfUnnamed(String dotted) {
        if (name == null) name = dotted;
    }

    /** The current leaf tensor: use it in forward computations; it requires grad. */
    public Tensor tensor() { return tensor; }

    /** The gradient accumulated by the last backward passes, or null. */
    public Tensor grad() { return tensor.grad(); }

    public Shape shape() { return tensor.shape(); }

    public long numel() { return tensor.numel(); }

    public DType dtype() { return tensor.dtype(); }

    public Device device() { return tensor.device(); }

    public boolean requiresGrad() { return tensor.requiresGrad(); }

    /** Freezes ({@code false}) or unfreezes the parameter; optimizers skip parameters without a gradient. */
    public Parameter requiresGrad_(boolean value) {
        tensor.requiresGrad_(value);
        return this;
    }

    /**
     * Sets the gradient to zero in place (PyTorch's {@code zero_grad(set_to_none=False)}), or clears
     * it when {@code setToNone}. In-place zeroing keeps the gradient buffer, so the next backward
     * accumulates into already allocated device memory.
     */
    public void zeroGrad(boolean setToNone) {
        Tensor g = tensor.grad();
        if (g == null) return;
        if (setToNone) {
            tensor.clearGrad();
        } else {
            try (var ignored = Torch.noGrad()) {
                g.zero_();
            }
        }
    }

    /**
     * Moves the parameter to {@code device} in place: this holder gets a new leaf tensor there
     * (with the same requires-grad flag, and its gradient moved along), so everything that refers
     * to the holder, optimizers included, follows. A no-op when already there.
     */
    public void moveTo(Device device) {
        if (tensor.device().equals(device)) return;
        Tensor moved;
        try (var ignored = Torch.noGrad()) {
            moved = tensor.detach().to(device);
        }
        if (tensor.requiresGrad()) moved.requiresGrad_(true);
        Tensor g = tensor.grad();
        if (g != null) moved.setGrad(g.to(device));
        Scope.untrack(moved);
        tensor = moved;
    }

    /** As PyTorch prints a parameter: {@code Parameter containing:} then the tensor. */
    @Override
    public String toString() { return "Parameter containing:\n" + tensor; }
}
