package io.flambeau;

import io.flambeau.ops.Linalg;

/**
 * How a stack of row-wise layers ({@code Linear} and elementwise activations) should be evaluated
 * on a tensor's device: whole, or one block of rows at a time so that each layer's output is read
 * back by the next from cache. {@code nn.Sequential} asks this under no_grad; the CPU answers
 * with a working set from its L2 cache, a GPU with 0 (whole tensors, one launch per op).
 *
 * <pre>{@code
 * long bytes = RowBlocks.bytes(Torch.randn(40000, 2));   // e.g. 2 MiB on a CPU, 0 on a GPU
 * }</pre>
 */
public final class RowBlocks {
    private RowBlocks() {}

    /** The bytes a block's widest activation should stay within on x's device; 0: evaluate whole. */
    public static long bytes(Tensor x) {
        return Linalg.rowBlockBytes(x.variable().data);
    }
}
