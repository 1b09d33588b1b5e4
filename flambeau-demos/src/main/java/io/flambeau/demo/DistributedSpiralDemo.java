package io.flambeau.demo;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.distributed.Distributed;
import io.flambeau.distributed.DistributedDataParallel;
import io.flambeau.distributed.DistributedSampler;
import io.flambeau.distributed.ProcessGroup;
import io.flambeau.optim.Adam;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Course section 5.6 trained data-parallel: the spiral demo's network and loss, started as N
 * processes by MPI ({@code mpirun -np N ... spiral-ranks}). Every rank builds the same 300 points,
 * takes its share (rows r, r + N, ...; {@link DistributedSampler}) and trains a replica wrapped in
 * {@link DistributedDataParallel}; each prints its shard, rank 0 prints the progress, the final
 * accuracy on all points and draws the regions. The loss of a rank is its shard's hinge sum times
 * N, so the averaged gradient is the gradient of the full batch's sum, as the one-process demo
 * computes: the same training, split between processes. Run alone it is a world of one rank.
 */
final class DistributedSpiralDemo implements Demo {
    static final String REGIONS_PNG = "spiral-ranks-regions.png";

    @Override
    public void run(DemoContext context) {
        var out = context.out();
        var options = context.options();
        int hidden = options.hiddenOr(SpiralDemo.DEFAULT_HIDDEN);
        int iterations = options.iterationsOr(SpiralDemo.DEFAULT_ITERATIONS);
        double lr = options.lrOr(SpiralDemo.DEFAULT_LEARNING_RATE);
        ProcessGroup world = Distributed.init();
        try {
            int rank = world.rank(), ranks = world.size();
            LabelledPoints data = SpiralData.make(SpiralData.DEFAULT_PER_CATEGORY); // same seed: same points on every rank
            Tensor rows = DistributedSampler.indices(data.size(), rank, ranks);
            Tensor xy = data.xy().get(rows), categories = data.categories().get(rows);
            out.println(String.format(Locale.ROOT, "rank %d of %d (local rank %d): %d of the %d points, rows %d, %d, %d, ...",
                    rank, ranks, world.localRank(), rows.size(0), data.size(), rows.toLongArray()[0],
                    rows.size(0) > 1 ? rows.toLongArray()[1] : -1, rows.size(0) > 2 ? rows.toLongArray()[2] : -1));
            out.flush();
            world.barrier();
            SpiralNet net = new SpiralNet(hidden, SpiralData.CATEGORIES);
            DistributedDataParallel model = new DistributedDataParallel(net, world);
            Adam optimizer = new Adam(model.parameters(), Adam.options().lr(lr));
            Tensor local = Torch.arange(0L, xy.size(0));
            Progress progress = rank == 0 ? new Progress(out, context.terminal(), "spiral, " + ranks + " ranks", iterations, 100) : null;
            long start = System.nanoTime();
            for (int it = 1; it <= iterations; it++) {
                optimizer.zeroGrad();
                Tensor loss = SpiralDemo.hingeLoss(model.forward(xy), categories, local, SpiralDemo.DELTA).mul((double) ranks);
                loss.backward();
                optimizer.step();
                if (progress != null) progress.update(it, loss.item() / ranks);
            }
            if (progress != null) progress.finish();
            if (rank == 0) {
                double seconds = (System.nanoTime() - start) / 1e9;
                double accuracy = SpiralDemo.accuracy(net, data);
                Path png = context.outputFile(REGIONS_PNG);
                new DecisionGrid(-SpiralData.EXTENT, SpiralData.EXTENT, DecisionGrid.SIZE)
                        .regions(net, data, String.format(Locale.ROOT, "Spiral, %d ranks, %d iterations, accuracy %.1f%%",
                                ranks, iterations, 100 * accuracy)).writePng(png);
                out.println(String.format(Locale.ROOT, "summary: %d ranks (%s), %d iterations in %.1f s, accuracy %.1f%% on all"
                        + " %d points, regions in %s", ranks, Distributed.backendDescription(), iterations, seconds,
                        100 * accuracy, data.size(), png));
            }
        } finally {
            Distributed.destroyProcessGroup();
        }
    }
}
