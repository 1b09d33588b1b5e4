package io.flambeau.ownership;

import io.flambeau.Tensor;
import io.flambeau.TensorInternals;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.OnSimulatedCuda;
import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.AutogradException;
import io.flambeau.ops.RawTensor;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What backward keeps, and what it computes: every saved tensor is version-checked (PyTorch
 * refuses the same modifications), an op keeps alive only what its gradient reads, and a gradient
 * no input wants is never computed.
 */
class SavedTensorsTest {

    private static void assertModifiedInPlace(Runnable backward) {
        AutogradException e = assertThrows(AutogradException.class, backward::run);
        assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
    }

    @Test
    void theResultOfAFullMaxIsVersionChecked() {
        Tensor x = Torch.tensor(new float[] {1, 5, 3}).requiresGrad_();
        Tensor m = x.max();
        Tensor y = m.mul(2);
        m.add_(1); // PyTorch: max() saves its result, so this backward fails there too
        assertModifiedInPlace(() -> y.backward());
    }

    @Test
    void theIndicesOfMaxAlongADimAreVersionChecked() {
        Tensor x = Torch.tensor(new float[][] {{1, 5}, {7, 3}}).requiresGrad_();
        var vi = x.max(1);
        Tensor values = vi.values().mul(1);
        vi.indices().fill_(0);
        assertModifiedInPlace(() -> values.sum().backward());
    }

    @Test
    void theConditionOfWhereIsVersionChecked() {
        Tensor a = Torch.tensor(new float[] {1, 2, 3}).requiresGrad_();
        Tensor cond = Torch.tensor(new boolean[] {true, false, true});
        Tensor y = Torch.where(cond, a, Torch.zeros(3));
        cond.fill_(0);
        assertModifiedInPlace(() -> y.sum().backward());
    }

    @Test
    void indexTensorsAreVersionChecked() {
        Tensor a = Torch.tensor(new float[] {1, 2, 3, 4}).requiresGrad_();
        Tensor idx = Torch.tensor(new long[] {0, 2});
        Tensor y = a.get(idx);
        idx.fill_(1);
        assertModifiedInPlace(() -> y.sum().backward());
    }

    /** Whether the forward input of {@code op} stays reachable from the graph until backward. */
    private static boolean keepsItsInput(Function<Tensor, Tensor> op) {
        Tensor leaf = Torch.rand(64).add(0.5).requiresGrad_();
        Tensor[] out = new Tensor[1];
        WeakReference<RawTensor> input = makeAndDrop(leaf, op, out);
        for (int i = 0; i < 20 && input.get() != null; i++) {
            System.gc();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean kept = input.get() != null;
        out[0].sum().backward(); // the graph was alive all along
        return kept;
    }

    private static WeakReference<RawTensor> makeAndDrop(Tensor leaf, Function<Tensor, Tensor> op, Tensor[] out) {
        Tensor input = leaf.mul(3.0); // an intermediate: only the graph can keep it
        out[0] = op.apply(input);
        return new WeakReference<>(TensorInternals.variable(input).data);
    }

    @Test
    void unaryOpsKeepOnlyWhatTheirGradientReads() {
        assertTrue(!keepsItsInput(Tensor::exp), "exp's gradient reads its output only");
        assertTrue(!keepsItsInput(Tensor::relu), "relu's gradient reads its output only");
        assertTrue(!keepsItsInput(Tensor::sigmoid), "sigmoid's gradient reads its output only");
        assertTrue(!keepsItsInput(t -> t.mul(2.0)), "a product with a number reads nothing");
        assertTrue(keepsItsInput(Tensor::log), "log's gradient reads its input");
    }

    @Test
    void aGradientNoInputWantsIsNeverComputed() {
        SimCuda.install();
        var sim = SimCuda.simulator();
        // -g over the incoming gradient, a broadcast view of sum's scalar gradient or a dense one
        Function<String, Long> negs = prefix -> sim.launchCount(prefix + "_dense") + sim.launchCount(prefix + "_r1_i32");
        String neg = "ew_unary_neg_f32_to_f32";
        Tensor a = Torch.rand(8).to(OnSimulatedCuda.GPU).requiresGrad_();
        Tensor b = Torch.rand(8).to(OnSimulatedCuda.GPU);
        long before = negs.apply(neg);
        a.sub(b).sum().backward();
        assertEquals(before, negs.apply(neg), "b needs no gradient: no -g is computed for it");
        Tensor c = Torch.rand(8).to(OnSimulatedCuda.GPU).requiresGrad_();
        a.sub(c).sum().backward();
        assertTrue(negs.apply(neg) > before, "c needs one: -g is computed (the count can move)");
        assertNull(b.grad());
        assertEquals(-8.0, c.grad().sum().item(), 1e-6);
    }
}
