package io.flambeau.misuse;

import io.flambeau.Index;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DataException;
import io.flambeau.core.IndexException;
import io.flambeau.core.ShapeException;

import java.util.List;

import static io.flambeau.misuse.MisuseCase.of;

/**
 * Indexing: integers, slices, index tensors and masks out of range or of the wrong shape. On the
 * GPU an index tensor's bounds may be reported at the next synchronisation; the corpus runner
 * synchronises, so the case holds either way.
 */
final class IndexMisuse {
    private IndexMisuse() {}

    private static Tensor t23() { return Torch.arange(0.0, 6.0).view(2, 3); }

    static List<MisuseCase> cases() {
        return List.of(
                of("get(0, 3) on (2,3) names dimension 1", IndexException.class,
                        "IndexError: index 3 is out of bounds for dimension 1 with size 3",
                        () -> t23().get(0, 3),
                        "index 3 is out of bounds for dimension 1 with size 3"),
                of("get(\"0, 3\") string form", IndexException.class,
                        "IndexError: index 3 is out of bounds for dimension 1 with size 3",
                        () -> t23().get("0, 3"),
                        "dimension 1", "size 3"),
                of("get(2) on (2,3)", IndexException.class,
                        "IndexError: index 2 is out of bounds for dimension 0 with size 2",
                        () -> t23().get(2),
                        "index 2", "dimension 0", "size 2"),
                of("get(-3) on (2,3)", IndexException.class,
                        "IndexError: index -3 is out of bounds for dimension 0 with size 2",
                        () -> t23().get(-3),
                        "index -3", "dimension 0"),
                of("get(\"...\", 5) names the last dimension", IndexException.class,
                        "IndexError: index 5 is out of bounds for dimension 1 with size 3",
                        () -> t23().get(Index.ellipsis(), 5),
                        "index 5", "dimension 1"),
                of("get(\":\", None, 4) skips the new axis", IndexException.class,
                        "IndexError: index 4 is out of bounds for dimension 1 with size 3",
                        () -> t23().get(":", "None", 4),
                        "index 4", "dimension 1"),
                of("index tensor after an integer names dimension 1", IndexException.class,
                        "IndexError: index 7 is out of bounds for dimension 1 with size 3",
                        () -> t23().get(1, Torch.tensor(new long[] {0, 7})),
                        "index 7", "dimension 1", "size 3"),
                of("index tensor out of range", IndexException.class,
                        "IndexError: index 4 is out of bounds for dimension 0 with size 2",
                        () -> t23().get(Torch.tensor(new long[] {0, 4})),
                        "index 4", "dimension 0", "size 2"),
                of("negative index tensor out of range", IndexException.class,
                        "IndexError: index -5 is out of bounds for dimension 0 with size 2",
                        () -> t23().get(Torch.tensor(new long[] {-5})),
                        "index -5"),
                of("two index tensors, the second out of range", IndexException.class,
                        "IndexError: index 3 is out of bounds for dimension 1 with size 3",
                        () -> t23().get(Torch.tensor(new long[] {0, 1}), Torch.tensor(new long[] {2, 3})),
                        "index 3", "dimension 1"),
                of("index tensors that do not broadcast", ShapeException.class,
                        "IndexError: shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]",
                        () -> t23().get(Torch.tensor(new long[] {0, 1}), Torch.tensor(new long[] {0, 1, 2})),
                        "shape mismatch", "[2], [3]"),
                of("too many indices", IndexException.class,
                        "IndexError: too many indices for tensor of dimension 2",
                        () -> t23().get(0, 0, 0),
                        "too many indices", "dimension 2"),
                of("index of a 0-dim tensor", IndexException.class,
                        "IndexError: invalid index of a 0-dim tensor. Use `tensor.item()`",
                        () -> Torch.tensor(2.0f).get(0),
                        "0-dim", "item()"),
                of("two ellipses", IndexException.class,
                        "IndexError: an index can only have a single ellipsis ('...')",
                        () -> t23().get("...", "..."),
                        "single ellipsis"),
                of("slice with step 0", IndexException.class,
                        "ValueError: slice step cannot be zero",
                        () -> t23().get("::0"),
                        "step must be greater than zero"),
                of("slice with a negative step", IndexException.class,
                        "ValueError: step must be greater than zero",
                        () -> t23().get(":, ::-1"),
                        "step must be greater than zero"),
                of("unparsable index string", IndexException.class,
                        "SyntaxError / TypeError in Python; Flambeau parses the string",
                        () -> t23().get("a:b"),
                        "cannot parse", "a:b"),
                of("unsupported index item", IndexException.class,
                        "IndexError: only integers, slices, ellipsis, None, long or bool tensors are valid indices",
                        () -> t23().get(new Object()),
                        "unsupported index item", "Object"),
                of("mask of the wrong shape", IndexException.class,
                        "IndexError: The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2, 3] at index 0",
                        () -> t23().get(Torch.ones(3).gt(0.0)),
                        "mask [3]", "[2, 3]"),
                of("mask with too many dims", IndexException.class,
                        "IndexError: too many indices for tensor of dimension 1",
                        () -> Torch.zeros(3).get(Torch.ones(3, 1).gt(0.0)),
                        "too many indices"),
                of("set with values that do not fit", ShapeException.class,
                        "RuntimeError: shape mismatch: value tensor of shape [4] cannot be broadcast to indexing result of shape [3]",
                        () -> t23().set(0, Torch.zeros(4)),
                        "value tensor of shape [4]", "[3]"),
                of("set of an index tensor out of range", IndexException.class,
                        "IndexError: index 9 is out of bounds for dimension 0 with size 2",
                        () -> t23().set(Torch.tensor(new long[] {9}), 1.0),
                        "index 9", "dimension 0"),
                of("set with a value of an unsupported type", DataException.class,
                        "TypeError: can't assign a str to a torch.FloatTensor",
                        () -> t23().set(0, "one"),
                        "set", "String"),
                of("set out of range after an integer", IndexException.class,
                        "IndexError: index 5 is out of bounds for dimension 1 with size 3",
                        () -> t23().set(new Object[] {1, 5}, 0.0),
                        "index 5", "dimension 1")
        );
    }
}
