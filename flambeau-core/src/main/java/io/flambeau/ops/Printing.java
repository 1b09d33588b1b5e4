package io.flambeau.ops;

import io.flambeau.core.PrintedElements;

/**
 * What printing reads of a tensor: the elements {@code str(tensor)} shows (see {@link PrintedElements}),
 * as one strided view of the tensor's own storage. A cut dimension of size n and stride s becomes two
 * dimensions, (2, (n-3)·s) and (3, s), which reach exactly its first and last three entries; so a
 * tensor of any size, on any device, prints by copying those few elements (at most 6 per long
 * dimension) to the host in one download, never the whole tensor.
 */
public final class Printing {
    private Printing() {}

    /**
     * The shown elements of {@code x}: a view whose row-major order is that of
     * {@link PrintedElements#shownShape(long[])} (its shape splits each cut dimension in two), or
     * {@code x} itself when it is not summarised.
     */
    public static RawTensor shownElements(RawTensor x) {
        if (!PrintedElements.summarizes(x.shape)) return x;
        int cut = 0;
        for (int axis = 0; axis < x.dim(); axis++) if (PrintedElements.cutsDimension(x.shape, axis)) cut++;
        long[] shape = new long[x.dim() + cut];
        long[] strides = new long[shape.length];
        int at = 0;
        for (int axis = 0; axis < x.dim(); axis++) {
            long size = x.shape[axis], stride = x.strides[axis];
            if (PrintedElements.cutsDimension(x.shape, axis)) {
                shape[at] = 2;
                strides[at++] = (size - PrintedElements.EDGE_ITEMS) * stride; // from the head to the tail
                shape[at] = PrintedElements.EDGE_ITEMS;
                strides[at++] = stride;
            } else {
                shape[at] = size;
                strides[at++] = stride;
            }
        }
        return x.asStrided(shape, strides, x.offset);
    }
}
