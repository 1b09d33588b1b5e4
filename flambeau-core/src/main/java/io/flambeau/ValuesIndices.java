package io.flambeau;

/**
 * The pair {@code max(dim)}/{@code min(dim)} return: the extreme values and their int64 indices.
 *
 * <pre>{@code
 * ValuesIndices m = Torch.tensor(new float[][] {{1, 5}, {7, 2}}).max(1);
 * Tensor values = m.values();     // tensor([5., 7.])
 * Tensor indices = m.indices();   // tensor([1, 0])
 * }</pre>
 */
public record ValuesIndices(Tensor values, Tensor indices) {}
