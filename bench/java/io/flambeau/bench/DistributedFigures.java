package io.flambeau.bench;

import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.distributed.Distributed;
import io.flambeau.distributed.DistributedDataParallel;
import io.flambeau.distributed.DistributedSampler;
import io.flambeau.distributed.ProcessGroup;
import io.flambeau.distributed.ReduceOp;
import io.flambeau.nn.F;
import io.flambeau.nn.Linear;
import io.flambeau.nn.ReLU;
import io.flambeau.nn.Sequential;
import io.flambeau.optim.Adam;

import java.util.Locale;

/**
 * Run under mpirun by bench/distributed-figures. Prints, on rank 0, the all-reduce bus bandwidth
 * of float32 tensors from 4 KiB to 256 MiB (nccl-tests' definition: busbw = bytes / time ·
 * 2(n-1)/n, the time being the mean over iterations after warm-up, as seen by rank 0 between
 * barriers), then the time of one DDP training step of the course's spiral network (h = 100, the
 * 300 points split between the ranks). One line per figure: name value unit. An argument, in bytes,
 * starts the sweep there instead of at 4 KiB (and skips the DDP step), for repeated runs of the
 * large sizes.
 */
public final class DistributedFigures {
    public static void main(String[] args) {
        ProcessGroup g = Distributed.init();
        int n = g.size();
        long from = args.length > 0 ? Long.parseLong(args[0]) : 4 << 10;
        for (long bytes = from; n > 1 && bytes <= 256L << 20; bytes *= 4) {
            Tensor t = Torch.ones((int) (bytes / 4));
            int warm = 3;
            int iterations = (int) Math.max(5, Math.min(200, (64L << 20) / bytes * 5));
            for (int i = 0; i < warm; i++) g.allReduce(t, ReduceOp.SUM);
            g.barrier();
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) g.allReduce(t, ReduceOp.SUM);
            double seconds = (System.nanoTime() - start) / 1e9 / iterations;
            g.barrier();
            double busbw = bytes / seconds * 2.0 * (n - 1) / n / 1e9;
            if (g.rank() == 0) System.out.printf(Locale.ROOT, "allreduce_busbw_%s %.3f GB/s%n", label(bytes), busbw);
            t.close();
        }
        if (args.length == 0) spiralStep(g);
        Distributed.destroyProcessGroup();
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
