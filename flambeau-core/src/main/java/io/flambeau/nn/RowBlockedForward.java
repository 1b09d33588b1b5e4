package io.flambeau.nn;

import io.flambeau.Index;
import io.flambeau.RowBlocks;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.FlambeauException;

import java.util.List;

/**
 * {@link Sequential}'s evaluation without the full-size intermediates: under no_grad, when every
 * layer works row by row (Flambeau's own {@link Linear} and elementwise activations, no
 * subclasses), the input's rows are run through all the layers a block at a time, the block
 * sized so its widest activation stays in the cache ({@link RowBlocks#bytes}), and only the final
 * output is written at full size. A 40000 x 2 grid through Linear(2, 1000), ReLU, Linear(1000, 3)
 * then never writes (or reads back) its 160 MB hidden activation.
 *
 * <p>Values are the unblocked path's, bit for bit: every row of a product is computed the same
 * way whatever the row count, provided the product takes the same kernel. The kernel choice
 * depends on the row count only below {@link #MIN_BLOCK_WORK} multiply-adds (and below 5 rows),
 * so no block is made smaller than that; the elementwise activations are per element.
 */
final class RowBlockedForward {
    private RowBlockedForward() {}

    /** The CPU's product dispatch changes kernel below this much work (Sgemm's direct path); blocks stay above. */
    static final long MIN_BLOCK_WORK = 64 * 1024;
    /** No block has fewer rows (the skinny forms need more than 4; a block also pays a handoff per layer). */
    static final long MIN_BLOCK_ROWS = 64;
    /** Block starts are multiples of this many rows (whole groups of four rows in the products). */
    private static final long ROW_ALIGN = 16;

    /**
     * The rows per block for this stack and input (its leading dims folded into rows, as a
     * Linear does), or 0 when it should run unblocked: with autograd recording, off the CPU, not
     * float32 of at least two dims, a layer that is not row-wise, or too
     * few rows for two blocks.
     */
    static long blockRows(List<Module> layers, Tensor x) {
        if (Torch.isGradEnabled() || x.dim() < 2 || x.dtype() != DType.FLOAT32 || layers.isEmpty()) return 0;
        long widest = x.size(-1), minRows = MIN_BLOCK_ROWS;
        for (Module m : layers) {
            Class<?> c = m.getClass();
            if (c == Linear.class) {
                Linear l = (Linear) m;
                if (l.weight().tensor().dtype() != DType.FLOAT32) return 0;
                widest = Math.max(widest, l.outFeatures());
                long work = Math.max(1, l.inFeatures() * l.outFeatures());
                minRows = Math.max(minRows, (MIN_BLOCK_WORK + work - 1) / work);
            } else if (c != ReLU.class && c != Tanh.class && c != Sigmoid.class && c != GELU.class && c != LeakyReLU.class) {
                return 0;
            }
        }
        long budget = RowBlocks.bytes(x);
        if (budget <= 0) return 0;
        long rows = x.numel() / Math.max(1, x.size(-1));
        long target = Math.max(minRows, budget / (Float.BYTES * Math.max(1, widest)));
        if (rows < 2 * target) return 0;
        long blocks = (rows + target - 1) / target;
        long step = ((rows + blocks - 1) / blocks + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
        return Math.max(step, minRows);
    }

    /**
     * The layers over x a block of {@code step} rows at a time (a last block shorter than the
     * minimum joins the one before), each block's intermediates released as soon as the next
     * layer has read them. Null when a layer refuses a block (a shape or dtype error): the caller
     * then runs the whole input, which raises the error with the user's shapes.
     */
    static Tensor forward(List<Module> layers, Tensor x, long step) {
        if (x.dim() == 2) return forwardRows(layers, x, step);
        long[] lead = x.shape().toArray();
        Tensor y = forwardRows(layers, x.reshape(-1, x.size(-1)), step);
        if (y == null) return null;
        lead[lead.length - 1] = y.size(1);
        return y.reshape(lead);
    }

    /** {@link #forward} for a matrix. */
    private static Tensor forwardRows(List<Module> layers, Tensor x, long step) {
        long rows = x.size(0);
        Tensor out = null;
        for (long r0 = 0; r0 < rows; r0 += step) {
            long r1 = rows - (r0 + step) < MIN_BLOCK_ROWS ? rows : r0 + step;
            Tensor y;
            try {
                y = Sequential.run(layers, x.get(Index.slice(r0, r1)), true);
            } catch (FlambeauException e) {
                if (out != null) out.close();
                return null;
            }
            if (out == null) {
                long[] shape = y.shape().toArray();
                shape[0] = rows;
                out = Torch.full(shape, 0, y.dtype(), y.device());
            }
            out.get(Index.slice(r0, r1)).copy_(y);
            y.close();
            if (r1 == rows) break;
        }
        return out;
    }
}
