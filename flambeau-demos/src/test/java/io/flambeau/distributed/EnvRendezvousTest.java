package io.flambeau.distributed;

import io.flambeau.Cuda;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.ffm.LoopbackRankDevice;
import io.flambeau.core.DType;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceCounters;
import io.flambeau.core.DistributedException;
import io.flambeau.core.DistributedTimeoutException;
import io.flambeau.distributed.nccl.LoopbackNccl;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The env rendezvous (FLAMBEAU_RANK, FLAMBEAU_WORLD_SIZE, FLAMBEAU_MASTER_ADDR/PORT) with the ranks
 * as threads of this JVM, each joining through its own environment: the join, the barrier, what such
 * a group refuses (CPU tensors, sub-groups: no MPI), a rank that never arrives, and collectives on
 * CUDA tensors through NCCL (the loopback libnccl.so.2 whose ranks are threads, the loopback cuda:0)
 * with the NCCL id sent through the store.
 */
class EnvRendezvousTest {

    interface RankBody {
        Object run(ProcessGroup g) throws Exception;
    }

    private static Map<String, String> env(int rank, int size, int port) {
        return Map.of("FLAMBEAU_RANK", "" + rank, "FLAMBEAU_WORLD_SIZE", "" + size, "FLAMBEAU_MASTER_ADDR", "127.0.0.1",
                "FLAMBEAU_MASTER_PORT", "" + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) { return s.getLocalPort(); }
    }

    /** Joins {@code joining} of {@code size} ranks, each on its own thread, and runs {@code body} on each; results by rank. */
    private static List<Object> onRanks(int size, int joining, Duration timeout, RankBody body) throws Exception {
        int port = freePort();
        ExecutorService pool = Executors.newFixedThreadPool(joining);
        try {
            List<Future<Object>> done = new ArrayList<>();
            for (int r = 0; r < joining; r++) {
                int rank = r;
                done.add(pool.submit(() -> {
                    ProcessGroup g = Distributed.joinByEnv(LaunchEnvironment.read(env(rank, size, port)), timeout);
                    try {
                        return body.run(g);
                    } finally {
                        g.destroy();
                    }
                }));
            }
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : done) {
                try {
                    results.add(f.get(120, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    results.add(e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ranksJoinAndTheBarrierWaitsForTheLast() throws Exception {
        List<Object> r = onRanks(3, 3, Duration.ofSeconds(60), g -> {
            if (g.rank() == 0) Thread.sleep(400);
            long start = System.nanoTime();
            g.barrier();
            return new long[] {g.rank(), g.size(), (System.nanoTime() - start) / 1_000_000};
        });
        for (int rank = 0; rank < 3; rank++) {
            assertTrue(r.get(rank) instanceof long[], String.valueOf(r.get(rank)));
            long[] v = (long[]) r.get(rank);
            assertEquals(rank, v[0]);
            assertEquals(3, v[1]);
            if (rank > 0) assertTrue(v[2] >= 250, "rank " + rank + " left the barrier after " + v[2] + " ms");
        }
    }

    @Test
    void withoutMpiCpuTensorsAndSubGroupsAreTypedErrorsThatSayWhatToDo() throws Exception {
        List<Object> r = onRanks(2, 2, Duration.ofSeconds(60), g -> {
            DistributedException cpu = assertThrows(DistributedException.class, () -> g.allReduce(Torch.ones(3), ReduceOp.SUM));
            DistributedException sub = assertThrows(DistributedException.class, () -> g.newGroup(0));
            g.barrier(); // still usable
            return cpu.getMessage() + "\n" + sub.getMessage();
        });
        for (Object o : r) {
            String m = String.valueOf(o);
            assertTrue(m.contains("env rendezvous at 127.0.0.1:"), m);
            assertTrue(m.contains("CUDA tensors through NCCL only") && m.contains("on cpu"), m);
            assertTrue(m.contains("mpirun -np 2"), m);
            assertTrue(m.contains("world group only"), m);
        }
    }

    @Test
    void aRankThatNeverArrivesIsATimeoutNamingIt() throws Exception {
        long start = System.nanoTime();
        List<Object> r = onRanks(3, 2, Duration.ofSeconds(1), g -> "joined without rank 2");
        double s = (System.nanoTime() - start) / 1e9;
        for (Object o : r) {
            assertTrue(o instanceof DistributedTimeoutException, String.valueOf(o));
            String m = ((Exception) o).getMessage();
            assertTrue(m.contains("rank 2 had not arrived") && m.contains("within 1 s") || m.contains("waited 1 s"), m);
        }
        assertTrue(s < 30, "took " + s + " s");
    }

    @Test
    void aRankThatStopsCallingCollectivesIsATimeout() throws Exception {
        List<Object> r = onRanks(2, 2, Duration.ofSeconds(1), g -> {
            if (g.rank() == 1) return "rank 1 does nothing";
            return assertThrows(DistributedTimeoutException.class, g::barrier).getMessage();
        });
        String m = String.valueOf(r.get(0));
        assertTrue(m.contains("barrier on rank 0") && m.contains("within 1 s") && m.contains("rank 1 had not arrived"), m);
    }

    @Test
    void halfAConfigurationIsAnError() {
        DistributedException e = assertThrows(DistributedException.class,
                () -> LaunchEnvironment.read(Map.of("FLAMBEAU_MASTER_ADDR", "10.0.0.1", "FLAMBEAU_RANK", "0", "FLAMBEAU_WORLD_SIZE", "2")));
        assertTrue(e.getMessage().contains("needs both FLAMBEAU_MASTER_ADDR and FLAMBEAU_MASTER_PORT"), e.getMessage());
        DistributedException p = assertThrows(DistributedException.class,
                () -> LaunchEnvironment.read(Map.of("FLAMBEAU_MASTER_ADDR", "h", "FLAMBEAU_MASTER_PORT", "70000")));
        assertTrue(p.getMessage().contains("not a TCP port"), p.getMessage());
        DistributedException rank = assertThrows(DistributedException.class, () -> Distributed.joinByEnv(
                LaunchEnvironment.read(env(2, 2, 29500)), Duration.ofSeconds(1)));
        assertTrue(rank.getMessage().contains("FLAMBEAU_RANK=2 is not a rank of FLAMBEAU_WORLD_SIZE=2"), rank.getMessage());
        assertEquals(null, LaunchEnvironment.read(Map.of("OMPI_COMM_WORLD_RANK", "0", "OMPI_COMM_WORLD_SIZE", "2",
                "FLAMBEAU_MASTER_ADDR", "h", "FLAMBEAU_MASTER_PORT", "1")).rendezvous(), "under mpirun, MPI joins the ranks");
    }

    /** CUDA tensors through NCCL, the id sent through the store: the sum on every rank, no host synchronisation or copy. */
    @Test
    void cudaTensorsThroughNccl() throws Exception {
        LoopbackNccl.require();
        try (LoopbackRankDevice ignored = LoopbackRankDevice.open()) {
            Device gpu = Device.cuda(0);
            int size = 2;
            List<Tensor> ts = new ArrayList<>();
            for (int r = 0; r < size; r++) ts.add(CollectiveChecks.input(r, new long[] {4, 5}, DType.FLOAT32, 1).to(gpu));
            Tensor expected = CollectiveChecks.reduce(List.of(CollectiveChecks.input(0, new long[] {4, 5}, DType.FLOAT32, 1),
                    CollectiveChecks.input(1, new long[] {4, 5}, DType.FLOAT32, 1)), ReduceOp.SUM);
            DeviceCounters before = Cuda.counters(gpu);
            List<Object> r = onRanks(size, size, Duration.ofSeconds(60), g -> {
                g.allReduce(ts.get(g.rank()), ReduceOp.SUM); // makes the communicator, then reduces
                g.allReduce(ts.get(g.rank()), ReduceOp.MAX);
                return "ok";
            });
            DeviceCounters d = Cuda.counters(gpu).minus(before);
            assertEquals(List.of("ok", "ok"), r);
            assertEquals(0, d.synchronizations() + d.hostToDevice() + d.deviceToHost(), d.toString());
            for (Tensor t : ts) assertArrayEquals(expected.toFloatArray(), t.cpu().toFloatArray());
        }
    }
}
