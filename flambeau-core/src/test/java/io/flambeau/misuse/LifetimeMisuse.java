package io.flambeau.misuse;

import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.ClosedTensorException;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.nn.Parameter;
import io.flambeau.optim.Adam;
import io.flambeau.optim.SGD;

import java.util.List;

import static io.flambeau.misuse.MisuseCase.of;

/**
 * Released memory: {@code close()} and the end of a {@link Scope}. PyTorch has no explicit release
 * (Python frees a tensor when its last reference goes), so every case here is Flambeau's own; the
 * messages must name the user's call, never a backend kernel, and say how to fix it.
 */
final class LifetimeMisuse {
    private LifetimeMisuse() {}

    private static final String NO_PYTORCH = "no counterpart: PyTorch frees memory when the last reference goes";

    private static Tensor closed(Tensor t) {
        t.close();
        return t;
    }

    /** A loss kept out of its scope whose graph (saved tensors) was released with the scope. */
    private static Tensor lossWithReleasedGraph() {
        Tensor w = Torch.ones(3).requiresGrad_();
        try (Scope s = Scope.open()) {
            Tensor loss = w.mul(Torch.tensor(new float[] {1, 2, 3})).mul(w).sum();
            return s.keep(loss);
        }
    }

    static List<MisuseCase> cases() {
        return List.of(
                of("item of a closed tensor", ClosedTensorException.class, NO_PYTORCH,
                        () -> closed(Torch.ones(1)).item(),
                        "item()", "released", "scope.keep"),
                of("longItem of a closed tensor", ClosedTensorException.class, NO_PYTORCH,
                        () -> closed(Torch.arange(0L, 1L)).longItem(),
                        "longItem()", "released"),
                of("toString of a closed tensor", ClosedTensorException.class, NO_PYTORCH,
                        () -> closed(Torch.ones(2, 2)).toString(),
                        "toString()", "[2, 2]", "released"),
                of("toFloatArray of a closed tensor", ClosedTensorException.class, NO_PYTORCH,
                        () -> closed(Torch.ones(2)).toFloatArray(),
                        "toFloatArray()", "released"),
                of("toDoubleArray of a closed tensor", ClosedTensorException.class, NO_PYTORCH,
                        () -> closed(Torch.ones(2)).toDoubleArray(),
                        "toDoubleArray()", "released"),
                of("tolist of a closed tensor", ClosedTensorException.class, NO_PYTORCH,
                        () -> closed(Torch.ones(2)).tolist(),
                        "tolist()", "released"),
                of("toArray of a closed tensor", ClosedTensorException.class, NO_PYTORCH,
                        () -> closed(Torch.ones(2)).toArray(),
                        "toArray()", "released"),
                of("item of a tensor from an ended scope", ClosedTensorException.class, NO_PYTORCH,
                        () -> {
                            Tensor t;
                            try (Scope s = Scope.open()) {
                                t = Torch.ones(1).mul(2.0);
                            }
                            t.item();
                        },
                        "item()", "end of the Scope", "keep"),
                of("view of a closed tensor is closed too", ClosedTensorException.class, NO_PYTORCH,
                        () -> {
                            Tensor t = Torch.ones(4);
                            Tensor v = t.view(2, 2);
                            t.close();
                            v.item();
                        },
                        "item()", "released"),
                of("backward of a closed loss", ClosedTensorException.class, NO_PYTORCH,
                        () -> {
                            Tensor loss = Torch.ones(2).requiresGrad_().mul(3.0).sum();
                            loss.close();
                            loss.backward();
                        },
                        "backward()", "released"),
                of("backward after the scope of its graph ended", ClosedTensorException.class, NO_PYTORCH,
                        () -> lossWithReleasedGraph().backward(),
                        "backward()", "MulBackward0", "open the Scope around the whole step", "scope.keep"),
                of("backward with a closed gradient argument", ClosedTensorException.class, NO_PYTORCH,
                        () -> {
                            Tensor y = Torch.ones(2).requiresGrad_().mul(3.0);
                            y.backward(closed(Torch.ones(2)));
                        },
                        "backward(gradient)", "released"),
                of("Adam.step with a closed parameter", ClosedTensorException.class, NO_PYTORCH,
                        () -> {
                            Linear layer = new Linear(3, 2);
                            Adam adam = new Adam(layer.parameters(), 0.1);
                            layer.forward(Torch.ones(4, 3)).sum().backward();
                            layer.weight().tensor().close();
                            adam.step();
                        },
                        "Adam.step", "'weight'", "[2, 3]", "released", "outside", "around the whole step"),
                of("SGD.step with a closed bare parameter", ClosedTensorException.class, NO_PYTORCH,
                        () -> {
                            Tensor w = Torch.ones(3).requiresGrad_();
                            SGD sgd = new SGD(Parameter.listOf(w), 0.1);
                            w.mul(2.0).sum().backward();
                            w.close();
                            sgd.step();
                        },
                        "SGD.step", "parameter number 0", "released"),
                of("SGD.step after the gradient was closed", ClosedTensorException.class, NO_PYTORCH,
                        () -> {
                            Tensor w = Torch.ones(3).requiresGrad_();
                            SGD sgd = new SGD(Parameter.listOf(w), 0.1);
                            w.mul(2.0).sum().backward();
                            w.grad().close();
                            sgd.step();
                        },
                        "SGD.step", "has a gradient that was released", "clearGrad"),
                of("step on a tensor its scope released before it became a parameter", ClosedTensorException.class,
                        NO_PYTORCH,
                        () -> {
                            Tensor w;
                            try (Scope s = Scope.open()) {
                                w = Torch.ones(2).requiresGrad_();
                            }
                            new SGD(Parameter.listOf(w), 0.1).step();
                        },
                        "SGD.step", "released", "before opening the scope"),
                of("op on a closed tensor", ClosedTensorException.class, NO_PYTORCH,
                        () -> closed(Torch.ones(3)).add(1.0),
                        "released", "keep"),
                of("loss on closed scores", ClosedTensorException.class, NO_PYTORCH,
                        () -> F.mseLoss(closed(Torch.ones(3)), Torch.zeros(3)).item(),
                        "released")
        );
    }
}
