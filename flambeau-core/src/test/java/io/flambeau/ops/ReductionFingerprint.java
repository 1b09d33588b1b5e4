package io.flambeau.ops;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.nn.F;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Every reduction Flambeau has, on fixed inputs, and the exact bits of each result. The inputs are
 * made from a seeded {@link Random}, so every JVM builds the same ones; {@link #main} prints one
 * {@code NAME=bits-hash} line per reduction, for comparing a JVM in another JIT tier with this one.
 */
public final class ReductionFingerprint {
    /** Reductions cheap enough to call tens of thousands of times. */
    public final Map<String, Supplier<Tensor>> small = new LinkedHashMap<>();
    /** Losses and softmaxes: several reductions and elementwise ops each, so slower per call. */
    public final Map<String, Supplier<Tensor>> composite = new LinkedHashMap<>();
    /** Reductions over inputs large enough to be split into parts across threads. */
    public final Map<String, Supplier<Tensor>> large = new LinkedHashMap<>();

    public ReductionFingerprint() {
        Random random = new Random(17);
        Tensor x = values(random, 50, 77);                    // the (50, 77) of the report
        Tensor y = values(random, 50, 77);
        Tensor w = values(random, 77, 3);
        Tensor targets = Torch.tensor(random.ints(50, 0, 77).asLongStream().toArray());
        Tensor x64 = x.to(DType.FLOAT64);
        Tensor big = values(random, 600, 1000);               // one dense run of 600,000 elements
        small.put("SUM", x::sum);
        small.put("MEAN", x::mean);
        small.put("SUM_DIM0", () -> x.sum(0));
        small.put("SUM_DIM1", () -> x.sum(1));
        small.put("MEAN_DIM0", () -> x.mean(0));
        small.put("MEAN_DIM1_KEEPDIM", () -> x.mean(1, true));
        small.put("SUM_TRANSPOSED", () -> x.t().sum());
        small.put("SUM_TRANSPOSED_DIM1", () -> x.t().sum(1));
        small.put("SUM_FLOAT64", x64::sum);
        small.put("MEAN_DIM1_FLOAT64", () -> x64.mean(1));
        small.put("MAX", x::max);
        small.put("MIN_DIM0", () -> x.min(0).values());
        small.put("ARGMAX_DIM1", () -> x.argmax(1));
        composite.put("SOFTMAX", () -> F.softmax(x, 1));
        composite.put("LOG_SOFTMAX_DIM0", () -> F.logSoftmax(x, 0));
        composite.put("CROSS_ENTROPY", () -> F.crossEntropy(x, targets));
        composite.put("MSE_LOSS", () -> F.mseLoss(x, y));
        small.put("MATMUL_SKINNY", () -> x.matmul(w));
        small.put("MATMUL_DOT", () -> x.get(0).matmul(y.get(1)));
        large.put("SUM_LARGE", big::sum);
        large.put("MEAN_LARGE", big::mean);
        large.put("SUM_LARGE_DIM0", () -> big.sum(0));
        large.put("SUM_LARGE_DIM1", () -> big.sum(1));
    }

    private static Tensor values(Random random, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
        return Torch.tensor(v).reshape(rows, cols);
    }

    /** The raw bits of every element (float64 and int64 as longs, float32 widened from its int bits). */
    public static long[] bits(Tensor t) {
        DType d = t.dtype();
        if (d == DType.FLOAT32) {
            float[] f = t.toFloatArray();
            long[] out = new long[f.length];
            for (int i = 0; i < f.length; i++) out[i] = Float.floatToRawIntBits(f[i]);
            return out;
        }
        if (d == DType.FLOAT64) {
            double[] f = t.toDoubleArray();
            long[] out = new long[f.length];
            for (int i = 0; i < f.length; i++) out[i] = Double.doubleToRawLongBits(f[i]);
            return out;
        }
        return t.toLongArray();
    }

    static String hash(long[] bits) {
        long h = 0xcbf29ce484222325L;                         // FNV-1a over the 64-bit words
        for (long b : bits) { h ^= b; h *= 0x100000001b3L; }
        return Long.toHexString(h) + "/" + bits.length;
    }

    /** One {@code NAME=hash} line per reduction, each computed once. */
    public static void main(String[] args) {
        ReductionFingerprint f = new ReductionFingerprint();
        for (var e : f.small.entrySet()) System.out.println(e.getKey() + "=" + hash(bits(e.getValue().get())));
        for (var e : f.composite.entrySet()) System.out.println(e.getKey() + "=" + hash(bits(e.getValue().get())));
        for (var e : f.large.entrySet()) System.out.println(e.getKey() + "=" + hash(bits(e.getValue().get())));
    }
}
