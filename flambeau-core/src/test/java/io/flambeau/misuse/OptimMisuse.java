package io.flambeau.misuse;

import io.flambeau.Torch;
import io.flambeau.nn.Linear;
import io.flambeau.nn.Parameter;
import io.flambeau.optim.Adagrad;
import io.flambeau.optim.Adam;
import io.flambeau.optim.AdamW;
import io.flambeau.optim.InvalidOptionException;
import io.flambeau.optim.OptimizerException;
import io.flambeau.optim.RMSprop;
import io.flambeau.optim.SGD;

import java.util.List;
import java.util.Map;

import static io.flambeau.misuse.MisuseCase.of;

/** Optimizers: options out of range, unknown or of the wrong type; parameter lists that make no sense. */
final class OptimMisuse {
    private OptimMisuse() {}

    private static List<Parameter> params() { return new Linear(2, 1).parameters(); }

    static List<MisuseCase> cases() {
        return List.of(
                of("SGD with a negative learning rate", InvalidOptionException.class,
                        "ValueError: Invalid learning rate: -0.1",
                        () -> new SGD(params(), -0.1),
                        "SGD", "Invalid learning rate: -0.1"),
                of("SGD without a learning rate", OptimizerException.class,
                        "TypeError: __init__() missing 1 required positional argument: 'lr' (1.13: lr=<required parameter>)",
                        () -> new SGD(params(), Map.of("momentum", 0.9)),
                        "SGD", "'lr'", "required"),
                of("SGD nesterov without momentum", InvalidOptionException.class,
                        "ValueError: Nesterov momentum requires a momentum and zero dampening",
                        () -> new SGD(params(), SGD.options().lr(0.1).nesterov(true)),
                        "Nesterov", "momentum"),
                of("SGD with a NaN learning rate", InvalidOptionException.class,
                        "PyTorch 1.13 accepts lr=nan (0.0 <= nan is False only for the check it makes: it raises); Flambeau refuses",
                        () -> new SGD(params(), Double.NaN),
                        "Invalid learning rate", "NaN"),
                of("Adam with beta1 of 1", InvalidOptionException.class,
                        "ValueError: Invalid beta parameter at index 0: 1.0",
                        () -> new Adam(params(), Adam.options().betas(1.0, 0.999)),
                        "Adam", "beta parameter at index 0", "1.0"),
                of("Adam with a negative eps", InvalidOptionException.class,
                        "ValueError: Invalid epsilon value: -1e-08",
                        () -> new Adam(params(), Adam.options().eps(-1e-8)),
                        "Adam", "epsilon"),
                of("AdamW with a negative weight decay", InvalidOptionException.class,
                        "ValueError: Invalid weight_decay value: -0.01",
                        () -> new AdamW(params(), AdamW.options().weightDecay(-0.01)),
                        "AdamW", "weight_decay", "-0.01"),
                of("RMSprop with a negative alpha", InvalidOptionException.class,
                        "ValueError: Invalid alpha value: -0.5",
                        () -> new RMSprop(params(), RMSprop.options().alpha(-0.5)),
                        "RMSprop", "alpha", "-0.5"),
                of("Adagrad with a negative lr_decay", InvalidOptionException.class,
                        "ValueError: Invalid lr_decay value: -1.0",
                        () -> new Adagrad(params(), Map.of("lr_decay", -1.0)),
                        "Adagrad", "lr_decay"),
                of("unknown option", OptimizerException.class,
                        "TypeError: __init__() got an unexpected keyword argument 'moment'",
                        () -> new SGD(params(), Map.of("lr", 0.1, "moment", 0.9)),
                        "unknown option 'moment'", "momentum"),
                of("option of the wrong type", OptimizerException.class,
                        "TypeError: '<=' not supported between instances of 'float' and 'str'",
                        () -> new SGD(params(), Map.of("lr", "fast")),
                        "'lr'", "a number", "fast"),
                of("betas of the wrong length", OptimizerException.class,
                        "ValueError: not enough values to unpack (expected 2, got 1)",
                        () -> new Adam(params(), Map.of("betas", new double[] {0.9})),
                        "'betas'", "pair of 2"),
                of("empty parameter list", OptimizerException.class,
                        "ValueError: optimizer got an empty parameter list",
                        () -> new Adam(List.of()),
                        "empty parameter list"),
                of("a parameter twice in one group", OptimizerException.class,
                        "UserWarning: optimizer contains a parameter group with duplicate parameters (a warning in 1.13)",
                        () -> {
                            Parameter p = new Parameter(Torch.ones(2));
                            new SGD(List.of(p, p), 0.1);
                        },
                        "same parameter twice"),
                of("a parameter in two groups", OptimizerException.class,
                        "ValueError: some parameters appear in more than one parameter group",
                        () -> {
                            List<Parameter> ps = params();
                            new SGD(ps, 0.1).addParamGroup(ps);
                        },
                        "more than one parameter group"),
                of("a null parameter", OptimizerException.class,
                        "TypeError: optimizer can only optimize Tensors, but one of the params is NoneType",
                        () -> new SGD(java.util.Arrays.asList(new Parameter(Torch.ones(1)), null), 0.1),
                        "null"),
                of("set an unknown option on a group", OptimizerException.class,
                        "KeyError in PyTorch when the option is read; Flambeau refuses at once",
                        () -> new SGD(params(), 0.1).paramGroups().get(0).set("learning_rate", 0.01),
                        "learning_rate"),
                of("set a negative lr on a group", InvalidOptionException.class,
                        "no check in PyTorch when a group is changed; Flambeau checks as at construction",
                        () -> new Adam(params()).paramGroups().get(0).set("lr", -1.0),
                        "Invalid learning rate", "-1.0")
        );
    }
}
