package io.flambeau.ownership;

import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What user code run by backward (a post-accumulate hook, as DistributedDataParallel's buckets)
 * allocates is the user's: the backward walk, which frees the gradients it made as it goes, never
 * frees it; it belongs to the user's scope around backward, or to nobody.
 */
class HookAllocationTest {
    private static List<Tensor> trainWithAHookThatKeepsACopy(Tensor w) {
        List<Tensor> copies = new ArrayList<>();
        w.registerPostAccumulateGradHook(leaf -> copies.add(leaf.grad().mul(2.0)));
        w.mul(3.0).sum().backward();
        return copies;
    }

    @Test
    void aTensorAHookMakesOutlivesTheBackwardWalk() {
        Tensor w = Torch.ones(8192).requiresGrad_();
        List<Tensor> copies = trainWithAHookThatKeepsACopy(w);
        Torch.ones(8192).mul(5.0).sum(); // new tensors of the same size take any recycled memory
        assertEquals(1, copies.size());
        assertFalse(copies.get(0).isClosed());
        assertEquals(6.0 * 8192, copies.get(0).sum().item());
    }

    @Test
    void insideAScopeItBelongsToTheScope() {
        Tensor w = Torch.ones(8192).requiresGrad_();
        List<Tensor> copies;
        try (Scope s = Scope.open()) {
            copies = trainWithAHookThatKeepsACopy(w);
            assertEquals(6.0 * 8192, copies.get(0).sum().item());
        }
        assertTrue(copies.get(0).isClosed(), "released with the scope that was open around backward");
        assertFalse(w.grad().isClosed(), "the leaf's gradient is never a scope's");
    }
}
