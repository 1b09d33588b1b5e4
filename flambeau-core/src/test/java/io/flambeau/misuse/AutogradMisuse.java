package io.flambeau.misuse;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.AutogradException;
import io.flambeau.core.ShapeException;

import java.util.List;

import static io.flambeau.misuse.MisuseCase.of;

/** Autograd: what backward needs, graphs used twice, in-place writes on what the graph saved. */
final class AutogradMisuse {
    private AutogradMisuse() {}

    private static Tensor leaf() { return Torch.tensor(new float[] {1, 2, 3}).requiresGrad_(); }

    static List<MisuseCase> cases() {
        return List.of(
                of("backward of a non-scalar", AutogradException.class,
                        "RuntimeError: grad can be implicitly created only for scalar outputs",
                        () -> leaf().mul(2.0).backward(),
                        "backward", "scalar outputs", "[3]", "sum()"),
                of("backward of a tensor without grad", AutogradException.class,
                        "RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn",
                        () -> Torch.ones(2).sum().backward(),
                        "does not require grad", "requiresGrad_"),
                of("backward under noGrad", AutogradException.class,
                        "RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn",
                        () -> {
                            Tensor w = leaf();
                            Tensor loss;
                            try (var g = Torch.noGrad()) {
                                loss = w.mul(2.0).sum();
                            }
                            loss.backward();
                        },
                        "does not require grad"),
                of("backward twice", AutogradException.class,
                        "RuntimeError: Trying to backward through the graph a second time",
                        () -> {
                            Tensor loss = leaf().mul(leaf()).sum();
                            loss.backward();
                            loss.backward();
                        },
                        "second time", "retainGraph"),
                of("backward with a gradient of the wrong shape", ShapeException.class,
                        "RuntimeError: Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3])",
                        () -> leaf().mul(2.0).backward(Torch.ones(2)),
                        "backward", "[2]", "[3]"),
                of("in-place write on a leaf that requires grad", AutogradException.class,
                        "RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.",
                        () -> leaf().add_(1.0),
                        "add_", "leaf", "in-place", "noGrad"),
                of("zero_ on a leaf that requires grad", AutogradException.class,
                        "RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.",
                        () -> leaf().zero_(),
                        "leaf", "in-place"),
                of("in-place write on a view of a leaf", AutogradException.class,
                        "RuntimeError: a view of a leaf Variable that requires grad is being used in an in-place operation.",
                        () -> leaf().get("0:2").mul_(2.0),
                        "mul_", "view"),
                of("modify a tensor saved for backward", AutogradException.class,
                        "RuntimeError: one of the variables needed for gradient computation has been modified by an inplace operation",
                        () -> {
                            Tensor w = leaf();
                            Tensor h = w.mul(2.0);
                            Tensor y = h.mul(h).sum();
                            h.add_(1.0);
                            y.backward();
                        },
                        "modified by an", "inplace", "version", "clone()"),
                of("modify an exp output before backward", AutogradException.class,
                        "RuntimeError: one of the variables needed for gradient computation has been modified by an inplace operation",
                        () -> {
                            Tensor e = leaf().exp();
                            Tensor y = e.sum();
                            e.mul_(2.0);
                            y.backward();
                        },
                        "modified by an", "inplace"),
                of("requiresGrad_ on a non-leaf", AutogradException.class,
                        "RuntimeError: you can only change requires_grad flags of leaf variables.",
                        () -> leaf().mul(2.0).requiresGrad_(false),
                        "requires_grad", "leaf"),
                of("setGrad of the wrong shape", ShapeException.class,
                        "RuntimeError: assigned grad has data of a different size",
                        () -> leaf().setGrad(Torch.zeros(2)),
                        "setGrad", "[2]", "[3]"),
                of("gradient read of a non-leaf after backward is null, then used", NullPointerException.class,
                        "PyTorch: a non-leaf's .grad is None (with a warning); using it raises TypeError."
                                + " Flambeau: grad() returns null too, and a NullPointerException follows in user code",
                        () -> {
                            Tensor w = leaf();
                            Tensor h = w.mul(2.0);
                            h.sum().backward();
                            h.grad().sum();
                        },
                        "null")
        );
    }
}
