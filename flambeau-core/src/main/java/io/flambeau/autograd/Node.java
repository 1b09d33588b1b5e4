package io.flambeau.autograd;

import io.flambeau.core.AutogradException;
import io.flambeau.core.ClosedTensorException;
import io.flambeau.ops.RawTensor;

/**
 * One step of the backward graph: given the gradient of its output, the gradients of its
 * inputs. {@code next[i]} is where input i's gradient goes (null when input i needs none).
 */
public abstract class Node {
    private final String name;
    final Node[] next;
    private boolean released;

    protected Node(String name, Node[] next) {
        this.name = name;
        this.next = next;
    }

    /** PyTorch's name for the node, e.g. {@code AddBackward0}. */
    public String name() { return name; }

    /** Input gradients, one per entry of {@code next} (null where not needed). */
    protected abstract RawTensor[] backward(RawTensor grad);

    final RawTensor[] apply(RawTensor grad) {
        if (released) {
            throw new AutogradException("Trying to backward through the graph a second time (or directly access saved"
                    + " tensors after they have already been freed) at " + name + ". Specify retainGraph=true if you need"
                    + " to backward through the graph a second time");
        }
        try {
            return backward(grad);
        } catch (ClosedTensorException e) {
            if (this instanceof AccumulateGrad) {
                throw new ClosedTensorException("backward(): the gradient a leaf tensor accumulates into (its grad())"
                        + " was released with close(); clear a gradient with clearGrad() or zeroGrad(true) instead", e);
            }
            throw new ClosedTensorException("backward(): a tensor that " + name + " saved for the backward pass (an"
                    + " input or output of its forward op) was released before backward() ran, by close() or by the end"
                    + " of the Scope it was created in; open the Scope around the whole step (forward, backward() and the"
                    + " optimizer step), or keep what the graph needs with scope.keep(...)", e);
        }
    }

    /** Frees saved tensors; the node cannot run again. */
    void release() {
        released = true;
        releaseSaved();
    }

    protected void releaseSaved() {}

    @Override
    public String toString() { return "<" + name + ">"; }
}
