package io.flambeau.distributed.nccl;

import io.flambeau.core.DType;
import io.flambeau.core.DistributedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NCCL binding against the loopback libnccl.so.2: three ranks as threads of this JVM, buffers in
 * host memory. Checks the by-value ncclUniqueId (a rank joins its communicator only when all 128
 * bytes arrive intact), every collective bound, and the error path (code and NCCL's text).
 */
class NcclLoopbackTest {
    private static final int RANKS = 3;
    private static final long STREAM = 0x5eed; // the loopback ignores the stream; NCCL would queue on it

    @BeforeEach
    void loopback() { LoopbackNccl.require(); }

    interface RankBody {
        void run(NcclComm comm, Arena arena) throws Exception;
    }

    /** Runs {@code body} on every rank of a fresh communicator, each rank on its own thread. */
    private static void onRanks(RankBody body) throws Exception {
        NcclUniqueId id = NcclUniqueId.create();
        ExecutorService pool = Executors.newFixedThreadPool(RANKS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int r = 0; r < RANKS; r++) {
                int rank = r;
                done.add(pool.submit(() -> {
                    try (Arena arena = Arena.ofConfined(); NcclComm comm = NcclComm.initRank(RANKS, NcclUniqueId.of(id.bytes()), rank)) {
                        body.run(comm, arena);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private static MemorySegment floats(Arena arena, float... v) { return arena.allocateFrom(ValueLayout.JAVA_FLOAT, v); }

    private static float[] floats(MemorySegment s) { return s.toArray(ValueLayout.JAVA_FLOAT); }

    @Test
    void versionAndUniqueIds() {
        assertEquals(22304, NcclComm.version());
        NcclUniqueId a = NcclUniqueId.create(), b = NcclUniqueId.create();
        assertEquals(128, a.bytes().length);
        assertNotEquals(a, b);
    }

    @Test
    void allReduceEveryOpAndInPlace() throws Exception {
        onRanks((comm, arena) -> {
            int r = comm.rank();
            // rank r sends {r + 1, 2(r + 1)}: {1, 2}, {2, 4}, {3, 6}
            for (NcclComm.Op op : NcclComm.Op.values()) {
                MemorySegment send = floats(arena, r + 1, 2f * (r + 1)), recv = arena.allocate(8);
                comm.allReduce(send.address(), recv.address(), 2, DType.FLOAT32, op, STREAM);
                float[] want = switch (op) {
                    case SUM -> new float[] {6, 12};
                    case PROD -> new float[] {6, 48};
                    case MAX -> new float[] {3, 6};
                    case MIN -> new float[] {1, 2};
                    case AVG -> new float[] {2, 4};
                };
                assertArrayEquals(want, floats(recv), op + " on rank " + r);
            }
            MemorySegment inPlace = arena.allocateFrom(ValueLayout.JAVA_LONG, r, 10L * r);
            comm.allReduce(inPlace.address(), inPlace.address(), 2, DType.INT64, NcclComm.Op.SUM, STREAM);
            assertArrayEquals(new long[] {3, 30}, inPlace.toArray(ValueLayout.JAVA_LONG));
            MemorySegment flags = arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) (r == 1 ? 1 : 0), (byte) 1);
            comm.allReduce(flags.address(), flags.address(), 2, DType.BOOL, NcclComm.Op.SUM, STREAM); // or
            assertArrayEquals(new byte[] {1, 1}, flags.toArray(ValueLayout.JAVA_BYTE));
            comm.allReduce(flags.address(), flags.address(), 1, DType.BOOL, NcclComm.Op.PROD, STREAM); // and
            assertEquals(1, flags.get(ValueLayout.JAVA_BYTE, 0));
        });
    }

    @Test
    void broadcastAllGatherReduceScatter() throws Exception {
        onRanks((comm, arena) -> {
            int r = comm.rank();
            MemorySegment b = floats(arena, 10 * r, 10 * r + 1);
            NcclComm.groupStart();
            comm.broadcast(b.address(), b.address(), 2, DType.FLOAT32, 2, STREAM);
            NcclComm.groupEnd();
            assertArrayEquals(new float[] {20, 21}, floats(b));
            MemorySegment recv = arena.allocate(4L * 2 * RANKS);
            comm.allGather(floats(arena, r, -r).address(), recv.address(), 2, DType.FLOAT32, STREAM);
            assertArrayEquals(new float[] {0, 0, 1, -1, 2, -2}, floats(recv));
            // rank r sends {r, r, r} + j for block j; rank j keeps the sum over r of (r + j)
            MemorySegment send = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, r, r + 1, r + 2);
            MemorySegment mine = arena.allocate(8);
            comm.reduceScatter(send.address(), mine.address(), 1, DType.FLOAT64, NcclComm.Op.SUM, STREAM);
            assertEquals(3.0 + 3 * r, mine.get(ValueLayout.JAVA_DOUBLE, 0));
        });
    }

    @Test
    void failuresNameTheCallTheCodeAndNcclsText() throws Exception {
        NcclUniqueId id = NcclUniqueId.create();
        var bad = assertThrows(DistributedException.class, () -> NcclComm.initRank(2, id, 5));
        assertEquals("ncclCommInitRank", bad.call());
        assertEquals(4, bad.code());
        assertTrue(bad.getMessage().contains("invalid argument") && bad.getMessage().contains("rank 5 of 2"), bad.getMessage());
        byte[] forged = id.bytes();
        forged[0] ^= 1;
        assertEquals(4, assertThrows(DistributedException.class, () -> NcclComm.initRank(1, NcclUniqueId.of(forged), 0)).code());
        // ranks that disagree on the count: every rank gets ncclInvalidUsage from the loopback
        List<Integer> codes = java.util.Collections.synchronizedList(new ArrayList<>());
        onRanks((comm, arena) -> {
            MemorySegment buf = arena.allocate(16);
            var e = assertThrows(DistributedException.class,
                    () -> comm.allReduce(buf.address(), buf.address(), comm.rank() == 0 ? 4 : 3, DType.FLOAT32,
                            NcclComm.Op.SUM, STREAM));
            codes.add(e.code());
            assertTrue(e.getMessage().startsWith("ncclAllReduce failed with code 5 (invalid usage"), e.getMessage());
        });
        assertEquals(List.of(5, 5, 5), codes);
    }

    @Test
    void destroyedCommunicatorRefused() throws Exception {
        NcclComm comm = NcclComm.initRank(1, NcclUniqueId.create(), 0);
        comm.close();
        comm.close();
        var e = assertThrows(DistributedException.class,
                () -> comm.allReduce(0, 0, 0, DType.FLOAT32, NcclComm.Op.SUM, STREAM));
        assertTrue(e.getMessage().contains("destroyed"), e.getMessage());
    }
}
