package io.flambeau.backend.cpu;

import java.util.Random;

/**
 * Quick GEMM throughput check (not a test): prints GFLOP/s of {@link Sgemm} and {@link Dgemm}
 * for square sizes, best of 5 timed runs after warm-up. The JMH benchmark
 * {@code io.flambeau.bench.GemmBench} is the careful measurement; this is for fast iteration.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * io.flambeau.backend.cpu.GemmTiming [sizes...]}
 */
public final class GemmTiming {

    private GemmTiming() {}

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {256, 1024, 2048} : parseSizes(args);
        System.out.printf("threads: %d%n", CpuParallel.parallelism());
        for (int n : sizes) {
            System.out.printf("sgemm %4d: %6.1f GFLOP/s%n", n, sgemmGflops(n));
        }
        for (int n : sizes) {
            System.out.printf("dgemm %4d: %6.1f GFLOP/s%n", n, dgemmGflops(n));
        }
    }

    private static double sgemmGflops(int n) {
        Random rnd = new Random(42);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        float[] c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
            b[i] = rnd.nextFloat() - 0.5f;
        }
        Runnable run = () -> Sgemm.sgemm(n, n, n, a, 0, n, 1, b, 0, n, 1, c, 0, n, false);
        return 2.0 * n * n * n / bestSeconds(run) / 1e9;
    }

    private static double dgemmGflops(int n) {
        Random rnd = new Random(42);
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        double[] c = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextDouble() - 0.5;
            b[i] = rnd.nextDouble() - 0.5;
        }
        Runnable run = () -> Dgemm.dgemm(n, n, n, a, 0, n, 1, b, 0, n, 1, c, 0, n, false);
        return 2.0 * n * n * n / bestSeconds(run) / 1e9;
    }

    /**
     * Warms up for 2 s after a first, cold run (which alone can take a second while the Vector API
     * still runs unintrinsified), then returns the best of 5 timed runs.
     */
    private static double bestSeconds(Runnable run) {
        run.run();
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; i < 5 || System.nanoTime() < warmEnd; i++) {
            run.run();
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            run.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 1e9;
    }

    private static int[] parseSizes(String[] args) {
        int[] sizes = new int[args.length];
        for (int i = 0; i < args.length; i++) {
            sizes[i] = Integer.parseInt(args[i]);
        }
        return sizes;
    }
}
