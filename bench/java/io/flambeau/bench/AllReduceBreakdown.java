package io.flambeau.bench;

import io.flambeau.HostArrayAccess;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.distributed.Distributed;
import io.flambeau.distributed.ProcessGroup;
import io.flambeau.distributed.ReduceOp;
import io.flambeau.distributed.mpi.Mpi;
import io.flambeau.distributed.mpi.MpiComm;
import io.flambeau.distributed.mpi.MpiOp;
import io.flambeau.distributed.mpi.MpiRequest;
import io.flambeau.distributed.mpi.NativeBuffer;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a blocking float32 {@code ProcessGroup.allReduce} of 1, 16 and 64 MiB spends its time, on 2
 * ranks under mpirun ({@code bench/distributed-figures breakdown}): per-call median and mean, on rank 0,
 * of (a) the whole {@code allReduce}, (b) the header exchange alone (16 int64s all-gathered as the
 * process group's MPI control channel does it), (c) the critical {@code MPI_Allreduce} downcall alone
 * on the tensor's own storage array, (d) (b) then (c) without the process group; rounds of the
 * four interleaved, so that load on a shared machine falls on all of them alike; then the CPU time each of rank 0's threads took meanwhile
 * (the JVM's compiler and collector threads beside the main one). {@code -Dbreakdown.warmup=N}
 * untimed all-reduces of 1 MiB come first (compiled code on the path), 5 at the other sizes.
 */
public final class AllReduceBreakdown {
    private static final int WARM_UP = Integer.getInteger("breakdown.warmup", 1000);

    public static void main(String[] args) {
        ProcessGroup g = Distributed.init();
        MpiComm world = Mpi.init().world();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        NativeBuffer send = NativeBuffer.allocate(DType.INT64, 16);
        NativeBuffer recv = NativeBuffer.allocate(DType.INT64, 16L * g.size());
        long[] header = new long[16];
        java.util.Map<String, Long> before = null;
        for (long bytes : new long[] {1L << 20, 16L << 20, 64L << 20}) {
            Tensor t = Torch.ones((int) (bytes / 4));
            int iterations = (int) Math.max(5, Math.min(40, (64L << 20) / bytes * 5));
            long[] whole = new long[rounds * iterations], exchange = new long[rounds * iterations],
                    mpi = new long[rounds * iterations], both = new long[rounds * iterations];
            for (int i = 0; i < (bytes == 1L << 20 ? WARM_UP : 5); i++) g.allReduce(t, ReduceOp.SUM);
            if (before == null) before = threadTicks();
            for (int r = 0; r < rounds; r++) {
                g.barrier();
                for (int i = 0; i < iterations; i++) {
                    long s = System.nanoTime();
                    g.allReduce(t, ReduceOp.SUM);
                    whole[r * iterations + i] = System.nanoTime() - s;
                }
                g.barrier();
                for (int i = 0; i < iterations; i++) {
                    long s = System.nanoTime();
                    send.write(0, header);
                    MpiRequest q = world.iallgather(send, recv, 16, DType.INT64);
                    q.await(Long.MAX_VALUE);
                    recv.read(0, 16 * g.size());
                    exchange[r * iterations + i] = System.nanoTime() - s;
                }
                g.barrier();
                for (int i = 0; i < iterations; i++) {
                    long s = System.nanoTime();
                    HostArrayAccess.inPlace(t, "breakdown", (array, offset, n) ->
                            world.allreduceInPlace(array, offset, n, DType.FLOAT32, MpiOp.SUM));
                    mpi[r * iterations + i] = System.nanoTime() - s;
                }
                g.barrier();
                for (int i = 0; i < iterations; i++) {
                    long s = System.nanoTime();
                    send.write(0, header);
                    world.iallgather(send, recv, 16, DType.INT64).await(Long.MAX_VALUE);
                    recv.read(0, 16 * g.size());
                    HostArrayAccess.inPlace(t, "breakdown", (array, offset, n) ->
                            world.allreduceInPlace(array, offset, n, DType.FLOAT32, MpiOp.SUM));
                    both[r * iterations + i] = System.nanoTime() - s;
                }
            }
            if (g.rank() == 0) {
                System.out.printf(Locale.ROOT, "%s: allReduce %s | header exchange %s | MPI_Allreduce downcall %s"
                        + " | exchange then downcall %s%n", label(bytes), describe(whole, bytes), describe(exchange, 0),
                        describe(mpi, bytes), describe(both, bytes));
            }
            t.close();
        }
        java.util.Map<String, Long> after = threadTicks();
        if (g.rank() == 0) {
            StringBuilder b = new StringBuilder("CPU time (10 ms ticks) of rank 0's threads during the timed calls:");
            for (var e : after.entrySet()) {
                long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                if (d > 0) b.append(' ').append(e.getKey()).append('=').append(d);
            }
            System.out.println(b);
        }
        send.close();
        recv.close();
        Distributed.destroyProcessGroup();
    }

    /** "median 1.23 ms (x GB/s busbw), mean 1.40 ms" for 2 ranks. */
    private static String describe(long[] nanos, long bytes) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        double median = s[s.length / 2] / 1e6, mean = Arrays.stream(s).average().orElse(0) / 1e6;
        String bw = bytes > 0 ? String.format(Locale.ROOT, " (%.2f GB/s)", bytes / (median / 1e3) / 1e9) : "";
        return String.format(Locale.ROOT, "median %.3f ms%s, mean %.3f ms", median, bw, mean);
    }

    /** utime + stime of every thread of this process, by "tid name", from /proc (Linux). */
    private static java.util.Map<String, Long> threadTicks() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) return m;
        for (java.io.File t : tasks) {
            try {
                String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
                int close = stat.lastIndexOf(')');
                String name = stat.substring(stat.indexOf('(') + 1, close).replace(' ', '_');
                String[] f = stat.substring(close + 2).split(" ");
                m.put(t.getName() + ":" + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (java.io.IOException | RuntimeException e) {
                // a thread that ended meanwhile
            }
        }
        return m;
    }

    private static String label(long bytes) { return (bytes >> 20) + "MiB"; }
}
