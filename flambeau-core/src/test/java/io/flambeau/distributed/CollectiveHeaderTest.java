package io.flambeau.distributed;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.CollectiveMismatchException;
import io.flambeau.core.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The argument check every collective starts with, on headers made here for several ranks (no MPI needed). */
class CollectiveHeaderTest {
    private static long[] ranks(long[]... headers) {
        long[] all = new long[headers.length * CollectiveHeader.LONGS];
        for (int r = 0; r < headers.length; r++) System.arraycopy(headers[r], 0, all, r * CollectiveHeader.LONGS, CollectiveHeader.LONGS);
        return all;
    }

    private static long[] h(String collective, long seq, Tensor t, ReduceOp op, int root) {
        return CollectiveHeader.of(collective, seq, t, op, root, false);
    }

    @Test
    void agreeingRanksPass() {
        Tensor t = Torch.zeros(2, 3);
        long[] all = ranks(h("allReduce", 4, t, ReduceOp.SUM, -1), h("allReduce", 4, Torch.ones(2, 3), ReduceOp.SUM, -1));
        assertDoesNotThrow(() -> CollectiveHeader.requireAgreement("allReduce", "g", all, 2, 0));
    }

    @Test
    void anotherShapeNamesEveryRanksShape() {
        long[] all = ranks(h("allReduce", 1, Torch.zeros(2, 3), ReduceOp.SUM, -1),
                h("allReduce", 1, Torch.zeros(3, 2), ReduceOp.SUM, -1), h("allReduce", 1, Torch.zeros(2, 3), ReduceOp.SUM, -1));
        for (int me = 0; me < 3; me++) {
            int rank = me;
            var e = assertThrows(CollectiveMismatchException.class,
                    () -> CollectiveHeader.requireAgreement("allReduce", "g", all, 3, rank));
            assertTrue(e.getMessage().contains("rank 0: allReduce #1, shape [2, 3], float32 on cpu, op sum"), e.getMessage());
            assertTrue(e.getMessage().contains("rank 1: allReduce #1, shape [3, 2], float32 on cpu, op sum"), e.getMessage());
        }
    }

    @Test
    void dtypeCollectiveSequenceAndRootDifferencesAreCaught() {
        Tensor f = Torch.zeros(4);
        Tensor d = Torch.zeros(DType.FLOAT64, 4);
        long[][][] cases = {
                {h("allReduce", 1, f, ReduceOp.SUM, -1), h("allReduce", 1, d, ReduceOp.SUM, -1)},
                {h("allReduce", 1, f, ReduceOp.SUM, -1), h("broadcast", 1, f, null, 0)},
                {h("allReduce", 1, f, ReduceOp.SUM, -1), h("allReduce", 2, f, ReduceOp.SUM, -1)},
                {h("broadcast", 1, f, null, 0), h("broadcast", 1, f, null, 1)},
                {h("allReduce", 1, f, ReduceOp.SUM, -1), h("allReduce", 1, f, ReduceOp.MAX, -1)}};
        String[] expected = {"float64", "broadcast #1", "allReduce #2", "root 1", "op max"};
        for (int i = 0; i < cases.length; i++) {
            long[] all = ranks(cases[i]);
            var e = assertThrows(CollectiveMismatchException.class,
                    () -> CollectiveHeader.requireAgreement("allReduce", "g", all, 2, 0));
            assertTrue(e.getMessage().contains(expected[i]), e.getMessage());
        }
    }

    @Test
    void shapesPastSevenDimsAreStillCompared() {
        long[] a = h("allReduce", 1, Torch.zeros(1, 1, 1, 1, 1, 1, 2, 3), ReduceOp.SUM, -1);
        long[] b = h("allReduce", 1, Torch.zeros(1, 1, 1, 1, 1, 1, 3, 2), ReduceOp.SUM, -1);
        long[] c = h("allReduce", 1, Torch.zeros(1, 1, 1, 1, 1, 1, 6, 1), ReduceOp.SUM, -1);
        assertThrows(CollectiveMismatchException.class, () -> CollectiveHeader.requireAgreement("allReduce", "g", ranks(a, b), 2, 0));
        assertThrows(CollectiveMismatchException.class, () -> CollectiveHeader.requireAgreement("allReduce", "g", ranks(a, c), 2, 0));
    }

    @Test
    void aRankWhoseOwnChecksFailedIsNamedToTheOthers() {
        long[] ok = h("allGather", 3, Torch.zeros(3), null, -1);
        long[] bad = CollectiveHeader.of("allGather", 3, Torch.zeros(3), null, -1, true);
        long[] all = ranks(ok, bad, ok);
        var e = assertThrows(CollectiveMismatchException.class, () -> CollectiveHeader.requireAgreement("allGather", "g", all, 3, 0));
        assertTrue(e.getMessage().contains("rank 1 passed arguments that failed their own checks"), e.getMessage());
        // rank 1 itself throws its own error, so the check leaves it alone
        assertDoesNotThrow(() -> CollectiveHeader.requireAgreement("allGather", "g", all, 3, 1));
    }
}
