package io.flambeau.bench;

import io.flambeau.DeviceSelection;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.Device;

import java.util.Locale;

/**
 * Dense float32 figures for the storage form this JVM was started with: run once plainly (arrays)
 * and once with {@code -Dflambeau.cpu.offHeapAbove=0} (every tensor off the Java heap, so every
 * primitive takes the piecewise route); {@code bench/off-heap-figures} runs both. One line each:
 * name, GB/s of memory traffic (two reads and a write for an add, one read for a sum).
 */
public final class OffHeapFigures {
    private OffHeapFigures() {}

    public static void main(String[] args) {
        DeviceSelection.setDefaultDevice(Device.CPU);
        String form = Long.getLong("flambeau.cpu.offHeapAbove", Integer.MAX_VALUE - 8) < (1 << 24) ? "offheap" : "array";
        int n = 1 << 24;
        Tensor x = Torch.rand(n), y = Torch.rand(n);
        double add = CpuFigures.bestSeconds(() -> { x.add(y).close(); return null; }, 3);
        Tensor z = Torch.zeros(n);
        double addInPlace = CpuFigures.bestSeconds(() -> z.add_(x), 3);
        double sum = CpuFigures.bestSeconds(x::sum, 3);
        System.out.printf(Locale.ROOT, "add_16M_%s %.2f GB/s%n", form, 3.0 * 4 * n / add / 1e9);
        System.out.printf(Locale.ROOT, "add_inplace_16M_%s %.2f GB/s%n", form, 3.0 * 4 * n / addInPlace / 1e9);
        System.out.printf(Locale.ROOT, "sum_16M_%s %.2f GB/s%n", form, 4.0 * n / sum / 1e9);
    }
}
