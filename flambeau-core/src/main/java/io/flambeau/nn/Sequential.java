package io.flambeau.nn;

import io.flambeau.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Modules applied one after the other, PyTorch's {@code nn.Sequential}. Children are named by
 * position, so parameters are {@code "0.weight"}, {@code "2.bias"}, ...
 *
 * <pre>{@code
 * Sequential model = new Sequential(new Linear(2, 100), new ReLU(), new Linear(100, 3));
 * Tensor scores = model.forward(Torch.randn(300, 2));   // shape (300, 3)
 * model.namedParameters().keySet();                     // [0.weight, 0.bias, 2.weight, 2.bias]
 * }</pre>
 */
public class Sequential extends Module {
    // transient: the layers are registered by position in add(), not discovered as a field
    private final transient List<Module> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module (PyTorch's {@code append}); returns this container. */
    public Sequential add(Module module) {
        if (module == null) throw new ModuleException("Sequential: a layer cannot be null");
        registerModule(Integer.toString(layers.size()), module);
        layers.add(module);
        return this;
    }

    public Module get(int index) { return layers.get(index < 0 ? index + layers.size() : index); }

    public int size() { return layers.size(); }

    public List<Module> layers() { return Collections.unmodifiableList(layers); }

    /**
     * The layers in order. Under no_grad on the CPU, a stack of row-wise layers runs a block of
     * rows at a time through all of them (same values; see {@link RowBlockedForward}).
     */
    @Override
    public Tensor forward(Tensor x) {
        input(x);
        long step = RowBlockedForward.blockRows(layers, x);
        if (step > 0) {
            Tensor y = RowBlockedForward.forward(layers, x, step);
            if (y != null) return y;
        }
        return run(layers, x, false);
    }

    /**
     * {@code layers} over x in order; with {@code release}, each intermediate result is closed
     * once the next layer has consumed it (only for results nothing else can see: x itself is
     * never closed).
     */
    static Tensor run(List<Module> layers, Tensor x, boolean release) {
        Tensor in = x;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            Tensor y;
            if (m.getClass() == Linear.class && i + 1 < layers.size() && layers.get(i + 1).getClass() == ReLU.class) {
                // A Linear straight into a ReLU, both Flambeau's own: the linear output is seen by
                // nothing but the ReLU, so the two run as one op over one buffer (the values and
                // gradients of the two, one tensor written instead of two).
                y = ((Linear) m).forwardRelu(x);
                i++;
            } else {
                y = m.forward(x);
            }
            if (release && x != in && y != x) x.close();
            x = y;
        }
        return x;
    }
}
