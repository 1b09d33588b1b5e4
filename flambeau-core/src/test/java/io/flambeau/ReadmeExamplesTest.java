package io.flambeau;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's code samples, as written there, with what they must produce. */
class ReadmeExamplesTest {
    @Test
    void firstExampleComputesTheGradientOfAReluLayer() {
        Tensor a = Torch.floatTensor(List.of(List.of(1, 2, 3), List.of(4, 5, 6)));
        Tensor w = Torch.rand(3, 2).requiresGrad_();
        Tensor loss = a.matmul(w).relu().sum();
        loss.backward();
        // rand is in [0, 1): every pre-activation is positive, so d loss / d w[k][j] = Σ_i a[i][k]
        assertArrayEquals(new float[] {5, 5, 7, 7, 9, 9}, w.grad().toFloatArray());
    }

    @Test
    void usingItSnippetRunsAsWritten() {
        Tensor a = Torch.floatTensor(List.of(List.of(1, 2, 3), List.of(4, 5, 6)));
        assertEquals("tensor([2., 3.])", a.get("0, 1:").toString());
        a.set(":, 0:3:2", 99);
        assertEquals("tensor([[99.,  2., 99.],\n        [99.,  5., 99.]])", a.toString());
        assertEquals("tensor([99., 99., 99., 99.])", a.get(a.gt(20.0)).toString());
        Tensor s = Torch.randn(300, 3);
        Tensor i = Torch.arange(0L, 300L);
        Tensor c = Torch.randint(0, 3, 300);
        Tensor picked = s.get(i, c);
        assertEquals(new Shape(300), picked.shape());

        Tensor w = Torch.randn(3).requiresGrad_();
        float[] before = w.detach().toFloatArray();
        double lr = 0.1;
        w.square().sum().backward();
        try (var g = Torch.noGrad()) {
            w.sub_(w.grad().mul(lr));
            w.grad().zero_();
        }
        float[] after = w.detach().toFloatArray();
        for (int k = 0; k < 3; k++) assertEquals(before[k] * 0.8f, after[k], 1e-6f);
        assertArrayEquals(new float[] {0, 0, 0}, w.grad().toFloatArray());
    }
}
