package io.flambeau.autograd;

import io.flambeau.backend.BinaryOp;
import io.flambeau.core.AutogradException;
import io.flambeau.core.DeviceException;
import io.flambeau.core.ShapeException;
import io.flambeau.ops.Creation;
import io.flambeau.ops.Elementwise;
import io.flambeau.ops.RawTensor;
import io.flambeau.ops.Shapes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation: a topological order of the graph reachable from the root, then
 * one walk that hands each node the sum of the gradients flowing into it.
 */
public final class Engine {
    private Engine() {}

    /** {@code root.backward()}: the root must be a single element. */
    public static void backward(Variable root, boolean retainGraph) {
        if (root.data.numel() != 1) {
            throw new AutogradException("backward: grad can be implicitly created only for scalar outputs; the output has"
                    + " shape " + Shapes.format(root.data.shape) + " — reduce it (e.g. sum()) or pass a gradient");
        }
        backward(root, Creation.full(root.data.shape, 1.0, root.data.dtype(), root.data.device()), retainGraph);
    }

    /** {@code root.backward(gradient)}. */
    public static void backward(Variable root, RawTensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new AutogradException("backward: element 0 of tensors does not require grad and does not have a grad_fn;"
                    + " call requiresGrad_(true) on the leaves you want gradients for");
        }
        if (!Shapes.same(gradient.shape, root.data.shape)) {
            throw new ShapeException("backward: mismatch in shape: grad_output has shape " + Shapes.format(gradient.shape)
                    + " and output has shape " + Shapes.format(root.data.shape));
        }
        if (!gradient.device().equals(root.data.device())) {
            // PyTorch's words; accepting it would leave the leaves' grads on the gradient's device
            throw new DeviceException("backward: invalid gradient at index 0 - expected device " + root.data.device()
                    + " but got " + gradient.device() + "; move the gradient to the output's device first"
                    + " (gradient.to(" + root.data.device() + "))");
        }
        Node start = root.edge();
        try (var ignored = GradMode.disable()) {
            run(start, gradient, retainGraph);
        }
    }

    private static void run(Node start, RawTensor gradient, boolean retainGraph) {
        // dependency counts: how many edges point at each node
        Map<Node, Integer> deps = new IdentityHashMap<>();
        List<Node> visited = new ArrayList<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        deps.put(start, 0);
        stack.push(start);
        visited.add(start);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Node m : n.next) {
                if (m == null) continue;
                Integer c = deps.get(m);
                if (c == null) {
                    deps.put(m, 1);
                    visited.add(m);
                    stack.push(m);
                } else {
                    deps.put(m, c + 1);
                }
            }
        }
        Map<Node, RawTensor> pending = new HashMap<>();
        ArrayDeque<Node> ready = new ArrayDeque<>();
        try (GradientBuffers buffers = new GradientBuffers()) {
            pending.put(start, gradient);
            buffers.hold(gradient);
            ready.add(start);
            while (!ready.isEmpty()) {
                Node n = ready.poll();
                RawTensor g = pending.remove(n);
                buffers.beginNode();
                RawTensor[] inputs = n.apply(g);
                for (int i = 0; i < n.next.length; i++) {
                    Node m = n.next[i];
                    if (m == null) continue;
                    RawTensor gi = inputs[i];
                    if (gi != null) {
                        RawTensor prev = pending.get(m);
                        RawTensor sum = prev == null ? gi : Elementwise.binary("backward", BinaryOp.ADD, prev, gi);
                        pending.put(m, sum);
                        buffers.hold(sum);
                        if (prev != null) buffers.letGo(prev);
                    }
                    int left = deps.merge(m, -1, Integer::sum);
                    if (left == 0) {
                        if (pending.containsKey(m)) ready.add(m);
                        else releaseUnreached(m, deps, pending, ready);
                    }
                }
                buffers.letGo(g);
                buffers.endNode();
            }
        }
        if (!retainGraph) for (Node n : visited) n.release();
    }

    /** A node all of whose inputs sent no gradient: its own inputs still need their counts decremented. */
    private static void releaseUnreached(Node m, Map<Node, Integer> deps, Map<Node, RawTensor> pending,
                                         ArrayDeque<Node> ready) {
        ArrayDeque<Node> todo = new ArrayDeque<>();
        todo.push(m);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            for (Node k : n.next) {
                if (k == null) continue;
                int left = deps.merge(k, -1, Integer::sum);
                if (left == 0) {
                    if (pending.containsKey(k)) ready.add(k);
                    else todo.push(k);
                }
            }
        }
    }
}
