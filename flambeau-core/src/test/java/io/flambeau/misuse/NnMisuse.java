package io.flambeau.misuse;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DataException;
import io.flambeau.core.IndexException;
import io.flambeau.core.ShapeException;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.nn.Module;
import io.flambeau.nn.ModuleException;
import io.flambeau.nn.Parameter;
import io.flambeau.nn.ReLU;
import io.flambeau.nn.Sequential;
import io.flambeau.nn.StateDictException;
import io.flambeau.nn.Tanh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.flambeau.misuse.MisuseCase.of;

/** Layers, losses, modules and their saved state. */
final class NnMisuse {
    private NnMisuse() {}

    private static Tensor scores() { return Torch.tensor(new float[][] {{1, 2, 3}, {0, -1, 4}}); }

    private static Tensor targets(long... t) { return Torch.tensor(t); }

    private static Path missingFile() { return Path.of(System.getProperty("java.io.tmpdir"), "flambeau-no-such-dir", "model.flb"); }

    private static Path garbageFile() throws java.io.IOException {
        Path f = Files.createTempFile("flambeau-misuse", ".flb");
        Files.writeString(f, "not a state dict");
        f.toFile().deleteOnExit();
        return f;
    }

    static final class Twice extends Module {
        Twice() {
            registerParameter("w", new Parameter(Torch.ones(2)));
            registerParameter("w", new Parameter(Torch.ones(2)));
        }

        @Override
        public Tensor forward(Tensor x) { return x; }
    }

    static List<MisuseCase> cases() {
        return List.of(
                of("cross_entropy with target -1", IndexException.class,
                        "IndexError: Target -1 is out of bounds.",
                        () -> F.crossEntropy(scores(), targets(0, -1)),
                        "cross_entropy", "Target -1 is out of bounds", "[0, 3)", "ignoreIndex (-100)"),
                of("cross_entropy with target C", IndexException.class,
                        "IndexError: Target 3 is out of bounds.",
                        () -> F.crossEntropy(scores(), targets(3, 0)),
                        "Target 3 is out of bounds", "targets[0]"),
                of("cross_entropy with target -100 and another ignore index", IndexException.class,
                        "IndexError: Target -100 is out of bounds.",
                        () -> F.crossEntropy(scores(), targets(-100, 0), 2),
                        "Target -100 is out of bounds", "ignoreIndex (2)"),
                of("multi_margin_loss with target -1", IndexException.class,
                        "RuntimeError: target out of range (Flambeau words it as nll_loss does)",
                        () -> F.multiMarginLoss(scores(), targets(-1, 0)),
                        "multi_margin_loss", "Target -1 is out of bounds"),
                of("multi_margin_loss with target C", IndexException.class,
                        "RuntimeError: target out of range",
                        () -> F.multiMarginLoss(scores(), targets(0, 5)),
                        "multi_margin_loss", "Target 5"),
                of("marginHinge with target -1", IndexException.class,
                        "the course's hinge written with S[I, C] wraps -1 in PyTorch too; Flambeau's loss refuses it",
                        () -> F.marginHinge(scores(), targets(-1, 2), 0.1),
                        "margin_hinge", "Target -1 is out of bounds"),
                of("cross_entropy with 1-D scores", ShapeException.class,
                        "PyTorch accepts (C) scores with a 0-dim target; Flambeau asks for (N, C) and (N)",
                        () -> F.crossEntropy(Torch.ones(3), targets(1)),
                        "cross_entropy", "(N, C)", "[3]"),
                of("cross_entropy with too few targets", ShapeException.class,
                        "ValueError: Expected input batch_size (2) to match target batch_size (1).",
                        () -> F.crossEntropy(scores(), targets(1)),
                        "cross_entropy", "[2, 3]", "[1]"),
                of("Linear with a negative size", ModuleException.class,
                        "RuntimeError: Trying to create tensor with negative dimension -2: [-2, 3]",
                        () -> new Linear(3, -2),
                        "Linear", "out_features=-2"),
                of("Linear fed the wrong feature count", ShapeException.class,
                        "RuntimeError: mat1 and mat2 shapes cannot be multiplied (4x5 and 3x2)",
                        () -> new Linear(3, 2).forward(Torch.ones(4, 5)),
                        "linear", "5 features", "expects 3", "[2, 3]"),
                of("Sequential of mismatched layers", ShapeException.class,
                        "RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x4 and 5x1)",
                        () -> new Sequential(new Linear(2, 4), new Tanh(), new Linear(5, 1)).forward(Torch.ones(1, 2)),
                        "linear", "4 features", "expects 5"),
                of("Sequential with a null layer", ModuleException.class,
                        "TypeError: None is not a Module subclass",
                        () -> new Sequential(new ReLU(), null),
                        "Sequential", "null"),
                of("register a parameter twice", ModuleException.class,
                        "KeyError: attribute 'w' already exists",
                        Twice::new,
                        "'w'", "already registered"),
                of("register a parameter with a dotted name", ModuleException.class,
                        "KeyError: parameter name can't contain \".\"",
                        () -> new Sequential().registerParameter("a.b", new Parameter(Torch.ones(1))),
                        "'a.b'", "no '.'"),
                of("a module inside itself", ModuleException.class,
                        "PyTorch recurses without end; Flambeau refuses",
                        () -> {
                            Sequential s = new Sequential();
                            s.registerModule("me", s);
                        },
                        "cannot contain itself"),
                of("state dict with a missing key", StateDictException.class,
                        "RuntimeError: Error(s) in loading state_dict for Linear: Missing key(s) in state_dict: \"bias\".",
                        () -> new Linear(2, 2).loadStateDict(Map.of("weight", Torch.ones(2, 2))),
                        "Missing key(s)", "\"bias\""),
                of("state dict with an unexpected key", StateDictException.class,
                        "RuntimeError: Error(s) in loading state_dict for Linear: Unexpected key(s) in state_dict: \"extra\".",
                        () -> new Linear(1, 1).loadStateDict(Map.of("weight", Torch.ones(1, 1), "bias", Torch.ones(1),
                                "extra", Torch.ones(1))),
                        "Unexpected key(s)", "\"extra\""),
                of("state dict with a shape mismatch", StateDictException.class,
                        "RuntimeError: size mismatch for weight: copying a param with shape torch.Size([3, 2]) from checkpoint",
                        () -> new Linear(2, 2).loadStateDict(Map.of("weight", Torch.ones(3, 2), "bias", Torch.ones(2))),
                        "size mismatch for weight", "[3, 2]", "[2, 2]"),
                of("state dict with a dtype mismatch", StateDictException.class,
                        "PyTorch copies with a cast; Flambeau refuses a dtype change",
                        () -> new Linear(2, 2).loadStateDict(Map.of("weight", Torch.ones(2, 2).toDouble(), "bias", Torch.ones(2))),
                        "dtype mismatch for weight", "float64"),
                of("load from a missing file", StateDictException.class,
                        "FileNotFoundError: [Errno 2] No such file or directory: '.../model.flb'",
                        () -> new Linear(2, 2).load(missingFile()),
                        "load", "no such file", "flambeau-no-such-dir", "model.flb"),
                of("load of a file that is not a state dict", DataException.class,
                        "_pickle.UnpicklingError: invalid load key",
                        () -> new Linear(2, 2).load(garbageFile()),
                        "state dict"),
                of("save into a missing directory", StateDictException.class,
                        "FileNotFoundError: [Errno 2] No such file or directory",
                        () -> new Linear(2, 2).save(missingFile()),
                        "save", "flambeau-no-such-dir", "directory exists"),
                of("mse_loss of shapes that do not broadcast", ShapeException.class,
                        "RuntimeError: The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0",
                        () -> F.mseLoss(Torch.ones(3), Torch.ones(2)),
                        "[3]", "[2]"),
                of("softmax over a dim out of range", IndexException.class,
                        "IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)",
                        () -> F.softmax(scores(), 2),
                        "got 2")
        );
    }
}
