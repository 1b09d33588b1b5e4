package io.flambeau.distributed;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.DistributedException;
import io.flambeau.nn.Module;
import io.flambeau.nn.Parameter;

import java.util.List;
import java.util.Map;

/**
 * Data-parallel training (PyTorch's {@code DistributedDataParallel}): every rank holds the same
 * model and trains on its own share of the data; backward leaves every rank with the average of
 * all ranks' gradients, so any optimizer stepping on it keeps the replicas identical.
 *
 * <ul>
 *   <li>At construction the parameters of rank 0 are broadcast to every rank, after checking that
 *       every rank wraps a module with the same parameters (names, shapes, dtypes).</li>
 *   <li>Gradients are averaged by bucketed all-reduce ({@link GradientBuckets}; buckets of at most
 *       {@link #DEFAULT_BUCKET_BYTES} unless given), started from post-accumulate hooks during
 *       backward in the same bucket order on every rank; backward returns with the averages in
 *       place. MPI makes progress on started buckets while later ones are filled, and Open MPI's
 *       progress happens inside MPI calls, so the overlap with the rest of backward is partial.</li>
 *   <li>{@link #noSync()}: forwards inside it are followed by a backward that only accumulates
 *       locally, for gradient accumulation; the next synchronised backward averages the sum.</li>
 * </ul>
 *
 * <p>The wrapped module is this module's child {@code module}, so parameter names read
 * {@code module.fc1.weight} as in PyTorch. Move the module to its device before wrapping it.
 *
 * <pre>{@code
 * ProcessGroup world = Distributed.init();
 * DistributedDataParallel ddp = new DistributedDataParallel(model, world);
 * Optimizer opt = new SGD(ddp.parameters(), 0.1);
 * Tensor loss = F.mseLoss(ddp.forward(DistributedSampler.shard(x, world)), DistributedSampler.shard(y, world));
 * loss.backward();   // gradients averaged over the ranks
 * opt.step();
 * }</pre>
 */
public final class DistributedDataParallel extends Module {
    /** PyTorch's default bucket cap: 25 MiB. */
    public static final long DEFAULT_BUCKET_BYTES = 25L << 20;

    private final Module module;
    private final transient ProcessGroup group;
    private final transient GradientBuckets buckets;
    private transient boolean sync = true;

    public DistributedDataParallel(Module module, ProcessGroup group) {
        this(module, group, DEFAULT_BUCKET_BYTES);
    }

    public DistributedDataParallel(Module module, ProcessGroup group, long bucketCapBytes) {
        if (bucketCapBytes <= 0) {
            throw new DistributedException("DistributedDataParallel: the bucket cap must be positive, got " + bucketCapBytes);
        }
        this.module = module;
        this.group = group;
        Map<String, Parameter> params = module.namedParameters();
        this.buckets = new GradientBuckets(params, group, bucketCapBytes);
        checkSameLayout();
        try (var ignored = Torch.noGrad()) {
            for (Parameter p : params.values()) group.broadcast(p.tensor(), 0);
        }
    }

    /** Every rank must bucket the same parameters the same way, or their all-reduces would not pair up. */
    private void checkSameLayout() {
        Tensor mine = Torch.tensor(new long[] {buckets.fingerprint()}, DType.INT64, io.flambeau.core.Device.CPU);
        List<Tensor> all = new java.util.ArrayList<>();
        for (int r = 0; r < group.size(); r++) all.add(Torch.zerosLike(mine));
        group.allGather(all, mine);
        StringBuilder differ = new StringBuilder();
        for (int r = 0; r < group.size(); r++) {
            if (all.get(r).longItem() != all.getFirst().longItem()) differ.append(differ.isEmpty() ? "" : ", ").append(r);
        }
        if (!differ.isEmpty()) {
            throw new DistributedException("DistributedDataParallel on rank " + group.rank() + ": rank(s) " + differ
                    + " wrap a module whose parameters (names, shapes, dtypes or bucket layout) differ from rank 0's;"
                    + " every rank must build the same model with the same bucket cap. This rank's buckets: "
                    + buckets.layout());
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        buckets.beforeForward(sync && Torch.isGradEnabled());
        return module.forward(x);
    }

    /** The wrapped module. */
    public Module module() { return module; }

    public ProcessGroup group() { return group; }

    /** Parameter names per bucket, in the order every rank reduces them. */
    public List<List<String>> bucketLayout() { return buckets.layout(); }

    /**
     * A scope in which forwards are followed by backwards that accumulate gradients locally without
     * averaging them (PyTorch's {@code no_sync()}); the first backward after it averages the total.
     */
    public NoSync noSync() {
        boolean previous = sync;
        sync = false;
        return () -> sync = previous;
    }

    /** The scope of {@link #noSync()}. */
    public interface NoSync extends AutoCloseable {
        @Override
        void close();
    }

    /** Removes the gradient hooks: the module trains alone again. */
    public void detachHooks() { buckets.remove(); }

    @Override
    protected String typeName() { return "DistributedDataParallel"; }
}
