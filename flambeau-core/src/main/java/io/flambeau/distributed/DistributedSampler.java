package io.flambeau.distributed;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DistributedException;

/**
 * Splits a data set between ranks as PyTorch's {@code DistributedSampler} does without shuffling:
 * rank r takes rows r, r + worldSize, r + 2·worldSize, ..., and when the rows do not divide evenly
 * the list wraps around to its start so that every rank gets ceil(n / worldSize) rows (every rank
 * must run the same number of steps).
 *
 * <pre>{@code
 * Tensor mine = DistributedSampler.shard(data, Distributed.group());   // this rank's rows
 * Tensor rows = DistributedSampler.indices(10, 1, 4);                  // tensor([1, 5, 9])
 * }</pre>
 */
public final class DistributedSampler {
    private DistributedSampler() {}

    /** The int64 row indices of rank {@code rank} among {@code worldSize} for {@code n} rows. */
    public static Tensor indices(long n, int rank, int worldSize) {
        if (worldSize <= 0 || rank < 0 || rank >= worldSize) {
            throw new DistributedException("DistributedSampler: rank " + rank + " is not in 0 .. " + (worldSize - 1));
        }
        if (n <= 0) throw new DistributedException("DistributedSampler: there are no rows to split (n = " + n + ")");
        long each = (n + worldSize - 1) / worldSize;
        long[] rows = new long[Math.toIntExact(each)];
        for (int i = 0; i < rows.length; i++) rows[i] = (rank + (long) i * worldSize) % n;
        return Torch.tensor(rows, io.flambeau.core.DType.INT64, io.flambeau.core.Device.CPU);
    }

    /** This rank's rows of {@code data} (first dimension), on data's device. */
    public static Tensor shard(Tensor data, ProcessGroup group) {
        return shard(data, group.rank(), group.size());
    }

    public static Tensor shard(Tensor data, int rank, int worldSize) {
        if (data.dim() == 0) throw new DistributedException("DistributedSampler.shard: a 0-d tensor has no rows to split");
        return data.get(indices(data.size(0), rank, worldSize).to(data.device()));
    }
}
