package io.flambeau;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A program that imports only {@code io.flambeau} names dtypes and devices as PyTorch does
 * ({@code torch.float64} is {@code Torch.float64}); the expected printing is PyTorch 1.13's.
 */
class PyTorchNamedDTypesTest {

    @Test
    void dtypesByPyTorchsNames() {
        assertEquals("float32", Torch.float32.pyName());
        assertEquals("float64", Torch.float64.pyName());
        assertEquals("int64", Torch.int64.pyName());
        assertEquals("bool", Torch.bool_.pyName());
    }

    @Test
    void factoriesTakeThemAndPrintAsPyTorch() {
        var cpu = Torch.cpu;
        // torch.tensor([1.0, 2.0], dtype=torch.float64, device="cpu")
        assertEquals("tensor([1., 2.], dtype=torch.float64)",
                Torch.tensor(List.of(1.0, 2.0), Torch.float64, cpu).toString());
        // torch.zeros(2, dtype=torch.int64)
        assertEquals("tensor([0, 0])", Torch.zeros(Torch.int64, 2).to(cpu).toString());
        // torch.ones(2, dtype=torch.bool)
        assertEquals("tensor([True, True])", Torch.ones(Torch.bool_, 2).to(cpu).toString());
        assertEquals(Torch.device("cpu"), cpu);
    }
}
