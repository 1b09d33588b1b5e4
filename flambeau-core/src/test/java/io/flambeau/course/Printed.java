package io.flambeau.course;

import io.flambeau.Tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Checks that a tensor prints what PyTorch prints. The course's outputs are for CPU tensors; where
 * the tests run on a GPU, PyTorch would add {@code device='cuda:0'} as the first suffix, and so
 * must Flambeau.
 */
final class Printed {
    private Printed() {}

    static void assertPrints(String pytorchCpuOutput, Tensor t) {
        assertEquals(onDevice(pytorchCpuOutput, t), t.toString());
    }

    /** The CPU string with {@code device='...'} inserted where PyTorch puts it, for a tensor on a GPU. */
    static String onDevice(String cpu, Tensor t) {
        if (!t.device().isCuda()) return cpu;
        String suffix = ", device='" + t.device() + "'";
        for (String next : new String[] {", dtype=", ", requires_grad=", ", grad_fn="}) {
            int at = cpu.indexOf(next);
            if (at >= 0) return cpu.substring(0, at) + suffix + cpu.substring(at);
        }
        return cpu.substring(0, cpu.length() - 1) + suffix + ")";
    }
}
