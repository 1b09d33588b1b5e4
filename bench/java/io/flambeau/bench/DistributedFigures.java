package io.flambeau.bench;

import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.distributed.Distributed;
import io.flambeau.distributed.DistributedDataParallel;
import io.flambeau.distributed.DistributedSampler;
import io.flambeau.distributed.ProcessGroup;
import io.flambeau.distributed.ReduceOp;
import io.flambeau.distributed.mpi.Mpi;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.nn.ReLU;
import io.flambeau.nn.Sequential;
import io.flambeau.optim.Adam;

import java.util.Arrays;
import java.util.Locale;

/**
 * Run under mpirun by bench/distributed-figures. Prints, on rank 0, the all-reduce bus bandwidth
 * of float32 tensors from 4 KiB to 256 MiB (nccl-tests' definition: busbw = bytes / time ·
 * 2(n-1)/n), timed exactly as the script's C program times MPI_Allreduce (allreduce_bw.c: the
 * same warm-up, iteration counts and barriers; each call timed on rank 0; the median call's
 * figure, then the mean call's), then the time of one DDP training step of the course's spiral network (h = 100, the
 * 300 points split between the ranks). One line per figure: name value unit. An argument, in bytes,
 * starts the sweep there instead of at 4 KiB (and skips the DDP step), for repeated runs of the
 * large sizes.
 */
public final class DistributedFigures {
    /** As bench/distributed/allreduce_bw.c: calls of 4 KiB, then as many of 256 KiB, before the sweep. */
    private static final int WARM_UP_CALLS = 1000;

    public static void main(String[] args) {
        ProcessGroup g = Distributed.init();
        int n = g.size();
        long from = args.length > 0 ? Long.parseLong(args[0]) : 4 << 10;
        if (g.rank() == 0) System.out.println("# Flambeau's ranks load " + Mpi.init().describe());
        if (n > 1) warmUp(g);
        for (long bytes = from; n > 1 && bytes <= 256L << 20; bytes *= 4) {
            Tensor t = Torch.ones((int) (bytes / 4));
            int iterations = (int) Math.max(10, Math.min(200, (64L << 20) / bytes * 5));
            long[] nanos = new long[iterations];
            for (int i = 0; i < 5; i++) g.allReduce(t, ReduceOp.SUM);
            g.barrier();
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                g.allReduce(t, ReduceOp.SUM);
                nanos[i] = System.nanoTime() - start;
            }
            g.barrier();
            double factor = bytes * 2.0 * (n - 1) / n;
            double mean = factor / Arrays.stream(nanos).average().orElseThrow();
            Arrays.sort(nanos);
            double median = factor / nanos[iterations / 2];
            if (g.rank() == 0) {
                System.out.printf(Locale.ROOT, "allreduce_busbw_%s %.3f GB/s (median call; mean call %.3f GB/s)%n",
                        label(bytes), median, mean);
            }
            t.close();
        }
        if (args.length == 0) spiralStep(g);
        Distributed.destroyProcessGroup();
    }

    /** Compiled code on both paths of allReduce (staged below 256 KiB, in place from there) before anything is timed. */
    private static void warmUp(ProcessGroup g) {
        Tensor small = Torch.ones(1 << 10), large = Torch.ones(64 << 10);
        for (int i = 0; i < WARM_UP_CALLS; i++) g.allReduce(small, ReduceOp.SUM);
        for (int i = 0; i < WARM_UP_CALLS; i++) g.allReduce(large, ReduceOp.SUM);
        small.close();
        large.close();
    }

    private static void spiralStep(ProcessGroup g) {
        SpiralWorkload w = new SpiralWorkload(100);
        Sequential net = new Sequential(new Linear(2, 100), new ReLU(), new Linear(100, 3));
        DistributedDataParallel ddp = new DistributedDataParallel(net, g);
        Adam opt = new Adam(ddp.parameters(), Adam.options().lr(1e-3));
        Tensor rows = DistributedSampler.indices(w.points.size(0), g.rank(), g.size());
        Tensor x = w.points.get(rows), c = w.classes.get(rows);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            g.barrier();
            long start = System.nanoTime();
            int steps = 200;
            for (int i = 0; i < steps; i++) {
                try (Scope s = Scope.open()) {
                    opt.zeroGrad();
                    F.marginHinge(ddp.forward(x), c, 1.0).div((double) x.size(0)).backward();
                    opt.step();
                }
            }
            best = Math.min(best, (System.nanoTime() - start) / steps);
        }
        if (g.rank() == 0) {
            System.out.printf(Locale.ROOT, "ddp_spiral_step_h100_%dranks %.1f us%n", g.size(), best / 1e3);
        }
    }

    private static String label(long bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + "MiB" : (bytes >> 10) + "KiB";
    }
}
