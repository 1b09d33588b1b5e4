package io.flambeau.autograd;

import io.flambeau.core.AutogradException;
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
        return backward(grad);
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
