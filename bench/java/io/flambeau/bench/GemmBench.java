package io.flambeau.bench;

import io.flambeau.backend.cpu.Dgemm;
import io.flambeau.backend.cpu.Sgemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square matrix multiply on the CPU backend, float32 and float64, for n = 256, 1024, 2048.
 * Reports time per multiply; GFLOP/s = 2 n^3 / time. Row-major operands (the common case), plus
 * a float32 case with A transposed to cover the strided packing path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBench {

    @Param({"256", "1024", "2048"})
    int n;

    float[] af;
    float[] bf;
    float[] cf;
    double[] ad;
    double[] bd;
    double[] cd;

    @Setup
    public void setUp() {
        Random rnd = new Random(42);
        int size = n * n;
        af = new float[size];
        bf = new float[size];
        cf = new float[size];
        ad = new double[size];
        bd = new double[size];
        cd = new double[size];
        for (int i = 0; i < size; i++) {
            af[i] = rnd.nextFloat() - 0.5f;
            bf[i] = rnd.nextFloat() - 0.5f;
            ad[i] = af[i];
            bd[i] = bf[i];
        }
    }

    @Benchmark
    public float[] sgemm() {
        Sgemm.sgemm(n, n, n, af, 0, n, 1, bf, 0, n, 1, cf, 0, n, false);
        return cf;
    }

    /** A read as the transpose of its row-major array: A(i, p) = af[p * n + i]. */
    @Benchmark
    public float[] sgemmTransposedA() {
        Sgemm.sgemm(n, n, n, af, 0, 1, n, bf, 0, n, 1, cf, 0, n, false);
        return cf;
    }

    @Benchmark
    public double[] dgemm() {
        Dgemm.dgemm(n, n, n, ad, 0, n, 1, bd, 0, n, 1, cd, 0, n, false);
        return cd;
    }
}
