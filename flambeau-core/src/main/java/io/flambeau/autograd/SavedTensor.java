package io.flambeau.autograd;

import io.flambeau.core.AutogradException;
import io.flambeau.ops.RawTensor;
import io.flambeau.ops.Shapes;

/**
 * A tensor kept for backward, with the version of its storage when it was saved. Reading it
 * after an in-place modification throws instead of producing a wrong gradient.
 */
public final class SavedTensor {
    private RawTensor tensor;
    private final int version;

    public SavedTensor(RawTensor tensor) {
        this.tensor = tensor;
        this.version = tensor.storage.version();
    }

    public RawTensor get(String op) {
        if (tensor == null) {
            throw new AutogradException("Trying to backward through the graph a second time at " + op
                    + ": saved tensors were freed; specify retainGraph=true on the first backward");
        }
        int now = tensor.storage.version();
        if (now != version) {
            throw new AutogradException("one of the variables needed for gradient computation has been modified by an"
                    + " inplace operation: [" + tensor.dtype().pyName() + " " + Shapes.format(tensor.shape) + "], which is"
                    + " output 0 of " + op + ", is at version " + now + "; expected version " + version
                    + " instead. Use an out-of-place op or clone() the tensor before modifying it");
        }
        return tensor;
    }

    void free() { tensor = null; }
}
