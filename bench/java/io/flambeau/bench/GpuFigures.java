package io.flambeau.bench;

import io.flambeau.Cuda;
import io.flambeau.CudaGraph;
import io.flambeau.DeviceSelection;
import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.CudaAvailability;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.core.CudaGraphException;
import io.flambeau.core.Device;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * GPU figures, one line each ({@code name value unit}), measured on {@code cuda:0} with the
 * stream synchronised around every timed round: GEMM throughput through Flambeau's matmul,
 * elementwise/reduction bandwidth, the latency of one small op (launch + bookkeeping), and the
 * course's spiral training step, eager and replayed from a CUDA graph ({@code spiral_step_h*_graph};
 * a step that cannot be captured prints why instead). Prints the reason and exits 3 when no GPU is usable.
 */
public final class GpuFigures {
    private GpuFigures() {}

    public static void main(String[] args) {
        if (!Cuda.isAvailable()) {
            System.out.println("# no GPU: " + Cuda.unavailableReason());
            System.exit(3);
        }
        Device gpu = Device.cuda(0);
        DeviceSelection.setDefaultDevice(gpu);
        CudaApi api = CudaAvailability.probe().api();
        for (int n : new int[] {1024, 4096, 8192}) {
            Tensor a = Torch.rand(n, n), b = Torch.rand(n, n), c = Torch.zeros(n, n);
            int inner = n <= 1024 ? 50 : 5; // rounds of a millisecond or more
            print("sgemm_" + n, 2.0 * n * n * n / seconds(() -> a.matmul(b), inner) / 1e9, "GFLOP/s");
            if (api != null && api.hasBlas()) {
                // the same product straight through cuBLAS on Flambeau's buffers: the ceiling
                long handle = api.blasCreate();
                api.blasSetStream(handle, Cuda.stream(gpu));
                print("cublas_sgemm_" + n, 2.0 * n * n * n / seconds(() -> {
                    api.blasSgemm(handle, CudaApi.CUBLAS_OP_N, CudaApi.CUBLAS_OP_N, n, n, n,
                            1f, b.dataPtr(), n, a.dataPtr(), n, 0f, c.dataPtr(), n);
                    return null;
                }, inner) / 1e9, "GFLOP/s");
                api.blasDestroy(handle);
            }
            a.close();
            b.close();
            c.close();
        }
        long big = 1L << 26;
        Tensor x = Torch.rand(big), y = Torch.rand(big);
        print("add_64M", 12.0 * big / seconds(() -> x.add(y), 10) / 1e9, "GB/s");
        print("relu_64M", 8.0 * big / seconds(x::relu, 10) / 1e9, "GB/s");
        print("sum_64M", 4.0 * big / seconds(x::sum, 10) / 1e9, "GB/s");
        Tensor m = Torch.rand(8192, 4096), row = Torch.rand(4096);
        print("bcast_add_8192x4096", 8.0 * 8192 * 4096 / seconds(() -> m.add(row), 10) / 1e9, "GB/s");
        Tensor s1 = Torch.rand(3), s2 = Torch.rand(3);
        print("tiny_add_latency", seconds(() -> s1.add(s2), 2000) * 1e6, "us");
        for (int h : new int[] {100, 1000}) {
            SpiralWorkload w = new SpiralWorkload(h);
            print("spiral_step_h" + h, seconds(w::step, 50) * 1e6, "us");
            spiralGraph(h);
        }
        SpiralWorkload w = new SpiralWorkload(1000);
        print("grid_eval_200x200_h1000", seconds(w::gridClasses, 10) * 1e3, "ms");
    }

    /** The spiral step captured once (after one eager warm-up step) and replayed: one graph launch per step. */
    private static void spiralGraph(int hidden) {
        SpiralWorkload w = new SpiralWorkload(hidden);
        w.step();
        CudaGraph g;
        try {
            g = Cuda.capture(Device.cuda(0), w::step);
        } catch (CudaGraphException e) {
            System.out.println("# spiral_step_h" + hidden + "_graph: not captured: " + e.getMessage());
            return;
        }
        try (g) {
            print("spiral_step_h" + hidden + "_graph", seconds(() -> {
                g.replay();
                return null;
            }, 50) * 1e6, "us");
        }
    }

    private static void print(String name, double value, String unit) {
        System.out.printf(Locale.ROOT, "%s %.3f %s%n", name, value, unit);
    }

    /**
     * Best of 5 synchronised rounds of {@code inner} calls, after a warm-up of at least 3 rounds and
     * 1 s (so that the JIT has compiled the work's code before it is timed, also for the first
     * figure of the run); results freed each round.
     */
    static double seconds(Supplier<Object> work, int inner) {
        long warmUntil = System.nanoTime() + 1_000_000_000L;
        for (int round = 0; round < 3 || System.nanoTime() < warmUntil; round++) {
            try (Scope scope = Scope.open()) {
                for (int k = 0; k < inner; k++) work.get();
                Cuda.synchronize();
            }
        }
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            try (Scope scope = Scope.open()) {
                Cuda.synchronize();
                long t0 = System.nanoTime();
                for (int k = 0; k < inner; k++) work.get();
                Cuda.synchronize();
                best = Math.min(best, (System.nanoTime() - t0) / 1e9 / inner);
            }
        }
        return best;
    }
}
