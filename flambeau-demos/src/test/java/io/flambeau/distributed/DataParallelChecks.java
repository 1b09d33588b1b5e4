package io.flambeau.distributed;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DistributedException;
import io.flambeau.demo.SpiralAccess;
import io.flambeau.nn.Linear;
import io.flambeau.nn.Module;
import io.flambeau.nn.Parameter;
import io.flambeau.optim.Adam;
import io.flambeau.optim.Optimizer;
import io.flambeau.optim.SGD;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Data-parallel checks of one rank: the course's spiral network trained by DistributedDataParallel
 * on this rank's shard of the 300 points (mean loss of the shard; equal shards, so the average of
 * the ranks' gradients is the gradient of the mean over all points) must reach the parameters of
 * one process trained on the full batch, computed here as the reference.
 */
final class DataParallelChecks {
    private static final int HIDDEN = 100;
    private static final int POINTS = 300;

    private final ProcessGroup g;
    private final RankChecks out;
    private final Tensor xy;
    private final Tensor categories;

    DataParallelChecks(ProcessGroup g, RankChecks out) {
        this.g = g;
        this.out = out;
        Torch.manualSeed(7); // the same points on every rank
        Tensor[] d = SpiralAccess.data();
        xy = d[0];
        categories = d[1];
    }

    void run() {
        adamMatchesFullBatch();
        noSyncAccumulates();
        differentModelsRefused();
        unusedParameterReported();
    }

    /**
     * Adam in float64. In float32 no two summation orders can agree to 1e-5 with this loss: the
     * hinge's gradient for the last layer's bias is exactly zero (each point adds +1 per violated
     * margin to the wrong categories and -1 per violated margin to its own), so what float32 computes
     * there is rounding noise of about 1e-7 that Adam scales up to steps of the full learning rate,
     * in a direction the summation order decides. In float64 that noise (about 1e-16) stays far below
     * Adam's epsilon.
     */
    private void adamMatchesFullBatch() {
        Torch.manualSeed(100);
        Module reference = new Spiral64(SpiralAccess.net(HIDDEN)); // what rank 0 starts from
        Torch.manualSeed(100 + g.rank());
        Module local = new Spiral64(SpiralAccess.net(HIDDEN)); // every other rank starts elsewhere
        DistributedDataParallel ddp = new DistributedDataParallel(local, g, 4096);
        compare("parameters broadcast from rank 0", ddp.module(), reference, 0);
        out.check("bucket layout", ddp.bucketLayout().equals(List.of(
                        List.of("b2", "w2", "b1"), List.of("w1"))),
                () -> ddp.bucketLayout().toString());
        out.check("parameter names", ddp.namedParameters().containsKey("module.w1"),
                () -> ddp.namedParameters().keySet().toString());

        Adam opt = new Adam(ddp.parameters(), Adam.options().lr(0.01));
        Adam refOpt = new Adam(reference.parameters(), Adam.options().lr(0.01));
        Tensor rows = DistributedSampler.indices(POINTS, g.rank(), g.size());
        Tensor xy64 = xy.toDouble();
        Tensor xs = xy64.get(rows), cs = categories.get(rows);
        for (int step = 0; step < 50; step++) {
            train(ddp, opt, xs, cs, POINTS / g.size());
            if (g.rank() == 0) train(reference, refOpt, xy64, categories, POINTS);
        }
        shareFromRankZero(reference);
        compare("50 Adam steps on " + g.size() + " shards = full batch", ddp.module(), reference, 1e-5);
        identicalOnEveryRank(ddp.module());
    }

    private void noSyncAccumulates() {
        Torch.manualSeed(200);
        Module reference = SpiralAccess.net(HIDDEN);
        Torch.manualSeed(200 + g.rank());
        DistributedDataParallel ddp = new DistributedDataParallel(SpiralAccess.net(HIDDEN), g);
        out.check("default bucket cap holds the whole model in one bucket", ddp.bucketLayout().size() == 1,
                () -> ddp.bucketLayout().toString());
        SGD opt = new SGD(ddp.parameters(), SGD.options().lr(0.05).momentum(0.9));
        SGD refOpt = new SGD(reference.parameters(), SGD.options().lr(0.05).momentum(0.9));
        Tensor rows = DistributedSampler.indices(POINTS, g.rank(), g.size());
        long half = rows.size(0) / 2, shard = rows.size(0);
        Tensor first = rows.get(io.flambeau.Index.slice(0, half)), second = rows.get(io.flambeau.Index.slice(half, shard));
        for (int step = 0; step < 10; step++) {
            opt.zeroGrad();
            try (var ignored = ddp.noSync()) {
                lossOf(ddp, xy.get(first), categories.get(first), shard).backward();
            }
            if (step == 0) {
                // not averaged yet: the ranks' gradients still differ
                Tensor grad = ddp.module().parameters().getFirst().grad();
                List<Tensor> all = gatherAll(grad);
                boolean differ = false;
                for (Tensor t : all) differ |= !t.equal(all.getFirst());
                out.check("noSync leaves gradients local", differ);
            }
            lossOf(ddp, xy.get(second), categories.get(second), shard).backward();
            opt.step();
            if (g.rank() == 0) train(reference, refOpt, xy, categories, POINTS);
        }
        shareFromRankZero(reference);
        compare("noSync accumulation + SGD momentum = full batch", ddp.module(), reference, 1e-5);
    }

    private void differentModelsRefused() {
        Module m = SpiralAccess.net(g.rank() == g.size() - 1 ? HIDDEN + 1 : HIDDEN);
        out.expectThrows("ranks wrapping different models", DistributedException.class,
                () -> new DistributedDataParallel(m, g), "differ from rank 0");
    }

    private void unusedParameterReported() {
        Module m = new Module() {
            final Linear used = new Linear(2, 3);
            final Parameter unused = new Parameter(Torch.zeros(3));

            @Override
            public Tensor forward(Tensor x) { return used.forward(x); }
        };
        DistributedDataParallel ddp = new DistributedDataParallel(m, g);
        ddp.forward(xy).sum().backward();
        out.expectThrows("unused parameter", DistributedException.class, () -> ddp.forward(xy), "unused", "no gradient");
    }

    /** The spiral network with its parameters in float64, starting from a float32 SpiralNet's values. */
    static final class Spiral64 extends Module {
        final Parameter w1, b1, w2, b2;

        Spiral64(Module net32) {
            List<Parameter> p = net32.parameters(); // layer1.weight, layer1.bias, layer2.weight, layer2.bias
            w1 = new Parameter(p.get(0).tensor().detach().toDouble());
            b1 = new Parameter(p.get(1).tensor().detach().toDouble());
            w2 = new Parameter(p.get(2).tensor().detach().toDouble());
            b2 = new Parameter(p.get(3).tensor().detach().toDouble());
        }

        @Override
        public Tensor forward(Tensor x) {
            return b2.tensor().addmm(b1.tensor().addmm(x, w1.tensor().t()).relu(), w2.tensor().t());
        }
    }

    private static Tensor lossOf(Module m, Tensor x, Tensor c, long divideBy) {
        return SpiralAccess.hingeLoss(m.forward(x), c, Torch.arange(0L, x.size(0)), 1).div((double) divideBy);
    }

    private static void train(Module m, Optimizer opt, Tensor x, Tensor c, long n) {
        opt.zeroGrad();
        lossOf(m, x, c, n).backward();
        opt.step();
    }

    /** The single-process reference is trained by rank 0 alone (the machine is small); the others receive it. */
    private void shareFromRankZero(Module reference) {
        try (var ignored = Torch.noGrad()) {
            for (Parameter p : reference.parameters()) g.broadcast(p.tensor(), 0);
        }
    }

    /** max |a - b| / max |b| per parameter, at most {@code tolerance}. */
    private void compare(String name, Module actual, Module expected, double tolerance) {
        List<Parameter> a = actual.parameters(), b = expected.parameters();
        double worst = 0;
        StringBuilder each = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
            double diff = a.get(i).tensor().sub(b.get(i).tensor()).abs().max().item();
            double scale = b.get(i).tensor().abs().max().item();
            double rel = diff / Math.max(scale, 1e-30);
            each.append(" p").append(i).append('=').append(rel);
            worst = Math.max(worst, rel);
        }
        double w = worst;
        out.check(name, a.size() == b.size() && w <= tolerance, () -> "relative difference " + w + " > " + tolerance + ":" + each);
    }

    private void identicalOnEveryRank(Module m) {
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            List<Tensor> all = gatherAll(e.getValue().tensor().detach());
            boolean same = true;
            for (Tensor t : all) same &= t.equal(all.getFirst());
            out.check("replicas identical: " + e.getKey(), same);
        }
    }

    private List<Tensor> gatherAll(Tensor t) {
        List<Tensor> all = new ArrayList<>();
        for (int r = 0; r < g.size(); r++) all.add(Torch.zerosLike(t));
        g.allGather(all, t);
        return all;
    }
}
