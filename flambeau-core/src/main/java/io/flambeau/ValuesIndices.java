package io.flambeau;

/** The pair {@code max(dim)}/{@code min(dim)} return: the extreme values and their int64 indices. */
public record ValuesIndices(Tensor values, Tensor indices) {}
