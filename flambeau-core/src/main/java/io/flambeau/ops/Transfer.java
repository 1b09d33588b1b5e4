package io.flambeau.ops;

import io.flambeau.backend.Backend;
import io.flambeau.backend.Backends;
import io.flambeau.backend.View;
import io.flambeau.core.Device;

import java.util.function.Consumer;

/**
 * Moves tensors between devices through host memory, one piece at a time: the destination is
 * allocated once, then each piece of at most {@link #pieceElements()} elements (system property
 * {@value #PIECE_PROPERTY}, default 2^22) is downloaded from the source into a Java array of its size
 * and written at its offset in the destination. So a tensor of any size moves with host staging of
 * one piece, never one Java array for the whole tensor (which could not hold more than 2^31-9
 * elements). A strided source is cut into row-major runs of rows, each gathered on its own device,
 * so a broadcast or transposed view is not first copied whole. Between off-heap CPU memory and a
 * device that copies to and from host addresses, a piece skips the Java array: one copy straight
 * between the C heap and device memory ({@link Backend#withHostAddress}).
 */
public final class Transfer {
    /** System property: the most elements one host piece of a transfer holds. */
    public static final String PIECE_PROPERTY = "flambeau.transfer.pieceElements";
    private static final long DEFAULT_PIECE = 1L << 22;

    private Transfer() {}

    /** A dense copy of {@code x} on {@code device} ({@code x} itself when already there). */
    public static RawTensor to(RawTensor x, Device device) {
        return to(x, device, pieceElements());
    }

    /** The piece size in elements: {@value #PIECE_PROPERTY}, else 2^22; at least 1. */
    public static long pieceElements() {
        return Math.max(1, Long.getLong(PIECE_PROPERTY, DEFAULT_PIECE));
    }

    /** {@link #to(RawTensor, Device)} with pieces of at most {@code piece} elements (tests force many). */
    static RawTensor to(RawTensor x, Device device, long piece) {
        if (x.device().equals(device)) return x;
        Backend target = Backends.of(device); // fails early, naming the device, when it cannot be used
        Backend source = x.backend();
        RawTensor out = RawTensor.empty("to", x.shape, x.dtype(), device);
        long[] written = {0};
        forEachPiece(x.view(), piece, part -> {
            long n = part.numel();
            View dst = new View(out.storage, written[0], new long[] {n}, new long[] {1});
            if (!copyByAddress(source, part, target, dst)) target.uploadInto(source.download(part), dst);
            written[0] += n;
        });
        return out;
    }

    /**
     * Copies {@code part} to {@code dst} in one step between host memory with an address (an
     * off-heap CPU piece) and a device that copies to and from host addresses (CUDA), with no Java
     * array in between; false, copying nothing, when neither side offers that (an array storage, a
     * strided host piece, two devices without host memory).
     */
    private static boolean copyByAddress(Backend source, View part, Backend target, View dst) {
        boolean[] copied = {false};
        if (source.withHostAddress("to", part, (address, bytes) -> copied[0] = target.uploadFromAddress(address, dst))) {
            return copied[0];
        }
        target.withHostAddress("to", dst, (address, bytes) -> copied[0] = source.downloadToAddress(part, address));
        return copied[0];
    }

    /**
     * Hands {@code action} consecutive views that together cover {@code v} in row-major order, each
     * of at most {@code piece} elements: runs of a dense view, else blocks of whole rows (or, when one
     * row is too long, the pieces of each row in turn).
     */
    static void forEachPiece(View v, long piece, Consumer<View> action) {
        long n = v.numel();
        if (n == 0) return;
        if (v.isContiguous()) {
            for (long from = 0; from < n; from += piece) {
                action.accept(new View(v.storage(), v.offset() + from, new long[] {Math.min(piece, n - from)}, new long[] {1}));
            }
            return;
        }
        long rows = v.shape()[0], rowSize = n / rows;
        long[] rowShape = java.util.Arrays.copyOfRange(v.shape(), 1, v.rank());
        long[] rowStrides = java.util.Arrays.copyOfRange(v.strides(), 1, v.rank());
        if (rowSize > piece) {
            for (long r = 0; r < rows; r++) {
                forEachPiece(new View(v.storage(), v.offset() + r * v.strides()[0], rowShape, rowStrides), piece, action);
            }
            return;
        }
        long perPiece = piece / rowSize;
        for (long r = 0; r < rows; r += perPiece) {
            long[] shape = v.shape().clone();
            shape[0] = Math.min(perPiece, rows - r);
            action.accept(new View(v.storage(), v.offset() + r * v.strides()[0], shape, v.strides()));
        }
    }
}
