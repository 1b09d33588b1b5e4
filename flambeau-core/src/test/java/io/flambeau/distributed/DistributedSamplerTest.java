package io.flambeau.distributed;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DistributedException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** torch.utils.data.DistributedSampler(range(n), num_replicas, rank, shuffle=False) gives these indices. */
class DistributedSamplerTest {
    @Test
    void stridedShardsPaddedByWrappingAround() {
        assertArrayEquals(new long[] {0, 3, 6, 9}, DistributedSampler.indices(10, 0, 3).toLongArray());
        assertArrayEquals(new long[] {1, 4, 7, 0}, DistributedSampler.indices(10, 1, 3).toLongArray());
        assertArrayEquals(new long[] {2, 5, 8, 1}, DistributedSampler.indices(10, 2, 3).toLongArray());
        assertArrayEquals(new long[] {1, 3, 5}, DistributedSampler.indices(6, 1, 2).toLongArray());
    }

    @Test
    void shardTakesRows() {
        Tensor data = Torch.arange(0L, 12L).view(6, 2);
        assertArrayEquals(new long[] {2, 3, 6, 7, 10, 11}, DistributedSampler.shard(data, 1, 2).toLongArray());
    }

    @Test
    void badRankRefused() {
        assertThrows(DistributedException.class, () -> DistributedSampler.indices(10, 3, 3));
    }
}
