package io.flambeau.ops;

/**
 * One entry of an index expression {@code x[a, b, ...]}, as {@link Indexing} reads it.
 *
 * <p>{@link At}, {@link Range}, {@link Ellipsis} and {@link NewAxis} are basic indexing and give a
 * view; a {@link Tensor} entry (int64 indices or a bool mask) makes the whole expression advanced
 * indexing, which copies.
 */
public sealed interface IndexItem {

    /** {@code x[i]}: selects one position and drops the dim; negative counts from the end. */
    record At(long index) implements IndexItem {}

    /** {@code x[start:stop:step]}; a null bound is omitted ({@code x[:3]}, {@code x[1:]}); step must be positive. */
    record Range(Long start, Long stop, long step) implements IndexItem {}

    /** {@code x[...]}: as many full slices as the other entries leave dims for. */
    record Ellipsis() implements IndexItem {}

    /** {@code x[None]}: inserts a dim of size 1. */
    record NewAxis() implements IndexItem {}

    /** {@code x[t]}: an int64 tensor of positions along one dim, or a bool mask over {@code t.dim()} dims. */
    record Tensor(RawTensor index) implements IndexItem {}

    /** {@code :} — the whole dim. */
    static Range all() {
        return new Range(null, null, 1);
    }
}
