package io.flambeau.autograd;

import io.flambeau.RemovableHandle;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.AutogradException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Tensor.registerPostAccumulateGradHook, as PyTorch's register_post_accumulate_grad_hook. */
class PostAccumulateGradHookTest {
    @Test
    void runsOnceAfterTheGradientIsAccumulated() {
        Tensor w = Torch.tensor(new float[] {1, 2, 3}).requiresGrad_();
        List<String> seen = new ArrayList<>();
        w.registerPostAccumulateGradHook(t -> seen.add(t.grad().toString()));
        // w used twice: backward sums both paths first, so the hook sees the total, once
        w.mul(2.0).sum().add(w.square().sum()).backward();
        assertEquals(List.of("tensor([4., 6., 8.])"), seen);
        w.sum().backward(); // accumulates: 4+1, 6+1, 8+1
        assertEquals(List.of("tensor([4., 6., 8.])", "tensor([5., 7., 9.])"), seen);
    }

    @Test
    void hooksRunInOrderAndCanBeRemoved() {
        Tensor w = Torch.ones(2).requiresGrad_();
        List<Integer> order = new ArrayList<>();
        RemovableHandle first = w.registerPostAccumulateGradHook(t -> order.add(1));
        w.registerPostAccumulateGradHook(t -> order.add(2));
        w.sum().backward();
        first.remove();
        first.remove();
        w.sum().backward();
        assertEquals(List.of(1, 2, 2), order);
    }

    @Test
    void onlyLeavesThatRequireGrad() {
        Tensor w = Torch.ones(2).requiresGrad_();
        assertThrows(AutogradException.class, () -> w.mul(2.0).registerPostAccumulateGradHook(t -> { }));
        assertThrows(AutogradException.class, () -> Torch.ones(2).registerPostAccumulateGradHook(t -> { }));
    }
}
