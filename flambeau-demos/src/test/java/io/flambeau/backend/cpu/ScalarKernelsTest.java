package io.flambeau.backend.cpu;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The scalar kernels that run where the JVM lacks the Vector API module ({@link CpuVectors}):
 * against a plain triple loop here, and the golden PyTorch cases and course checks in a child JVM
 * started without {@code --add-modules=jdk.incubator.vector}, as a library user's
 * {@code java -cp app.jar:flambeau.jar Main} starts.
 */
class ScalarKernelsTest {
    /** What the child JVM runs: every golden case and printing case, the tensor and autograd course checks. */
    private static final List<String> SUITES = List.of("io.flambeau.golden.CpuGoldenOpsTest",
            "io.flambeau.golden.ReprGoldenTest", "io.flambeau.demo.SpiralDemoTest");

    @Test
    void goldenCasesPassInAJvmWithoutTheVectorModule() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-Xss8m", "-Djava.awt.headless=true",
                "-Dflambeau.device=cpu", "-cp", System.getProperty("java.class.path"), "io.flambeau.testutil.ChildSuite"));
        command.addAll(SUITES);
        Path log = Files.createTempFile("scalar-kernels", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the child JVM did not finish within 600 s");
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("Flambeau: CPU kernels run scalar: the Vector API module is not loaded; start the JVM"
                    + " with --add-modules=jdk.incubator.vector"), "one line names the flag:\n" + out);
            assertEquals(1, out.split("CPU kernels run scalar", -1).length - 1, "said once:\n" + out);
            assertTrue(out.matches("(?s).*tests \\d+, succeeded \\d+, failed 0, skipped \\d+.*"), out);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void scalarProductsMatchATripleLoop() {
        Random r = new Random(7);
        int[][] shapes = {{1, 1, 1}, {3, 5, 2}, {300, 3, 100}, {100, 2, 300}, {37, 41, 29}, {64, 64, 64}, {50, 3, 5}, {40, 2, 1}, {20, 3, 130}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean transposedB : new boolean[] {false, true}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    double[] ad = random(r, m * k), bd = random(r, k * n), cd = random(r, m * n);
                    int bRow = transposedB ? 1 : n, bCol = transposedB ? k : 1;
                    double[] want = cd.clone();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double acc = accumulate ? want[i * n + j] : 0;
                            for (int p = 0; p < k; p++) acc += ad[i * k + p] * bd[p * bRow + j * bCol];
                            want[i * n + j] = acc;
                        }
                    }
                    double[] got = cd.clone();
                    ScalarGemm.dgemm(m, n, k, ad, 0, k, 1, bd, 0, bRow, bCol, got, 0, n, accumulate);
                    assertArrayEquals(want, got, 1e-12 * k, "dgemm " + m + "x" + n + "x" + k);
                    float[] af = toFloat(ad), bf = toFloat(bd), cf = toFloat(cd);
                    ScalarGemm.sgemm(m, n, k, af, 0, k, 1, bf, 0, bRow, bCol, cf, 0, n, accumulate);
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], cf[i], 1e-5 * (k + 1), "sgemm " + m + "x" + n + "x" + k + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void scalarSumsMatchTheVectorOnes() {
        Random r = new Random(3);
        for (int n : new int[] {0, 1, 7, 8192, 8193, 100_000}) {
            float[] a = new float[n + 3];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.3f;
            double exact = 0;
            for (int i = 3; i < n + 3; i++) exact += a[i];
            assertEquals(exact, ScalarGemm.sum(a, 3, n), 1e-6 * (1 + Math.abs(exact)) + 1e-4, "sum of " + n);
            float[] acc = new float[n];
            ScalarGemm.addInto(acc, a, 3, n);
            for (int i = 0; i < n; i++) assertEquals(a[i + 3], acc[i]);
        }
    }

    /** Values where a branch-free form could go wrong: signed zeros, NaNs of both signs, infinities, subnormals. */
    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, 0.5f, -2.5f, Float.NaN, Float.intBitsToFloat(0xffc00000),
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE};

    @Test
    void scalarElementwiseRunsMatchTheOpDefinitionsBitForBit() {
        Random r = new Random(11);
        // 5000 elements: more than one scratch chunk; offsets equal (direct loops) and unequal (staged)
        int n = 5000;
        float[] a = new float[n + 7], b = new float[n + 7];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 3 == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) r.nextGaussian();
            b[i] = i % 5 == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) r.nextGaussian();
        }
        for (int[] offsets : new int[][] {{0, 0, 0}, {3, 3, 3}, {3, 0, 5}, {0, 7, 2}}) {
            int oa = offsets[0], ob = offsets[1], oc = offsets[2];
            for (io.flambeau.backend.UnaryOp op : List.of(io.flambeau.backend.UnaryOp.RELU, io.flambeau.backend.UnaryOp.NEG,
                    io.flambeau.backend.UnaryOp.SQUARE, io.flambeau.backend.UnaryOp.ABS, io.flambeau.backend.UnaryOp.SQRT,
                    io.flambeau.backend.UnaryOp.RECIPROCAL)) {
                float[] o = new float[n + 7];
                assertTrue(Float32Scalar.unary(op, a, oa, o, oc, n, Float.NaN, Float.NaN));
                for (int i = 0; i < n; i++) {
                    float want = (float) op.apply(a[oa + i], Double.NaN, Double.NaN);
                    assertSameFloat(want, o[oc + i], op + " of " + a[oa + i] + " offsets " + java.util.Arrays.toString(offsets));
                }
            }
            for (io.flambeau.backend.BinaryOp op : List.of(io.flambeau.backend.BinaryOp.ADD, io.flambeau.backend.BinaryOp.SUB,
                    io.flambeau.backend.BinaryOp.MUL, io.flambeau.backend.BinaryOp.DIV, io.flambeau.backend.BinaryOp.MAXIMUM,
                    io.flambeau.backend.BinaryOp.MINIMUM, io.flambeau.backend.BinaryOp.THRESHOLD_BACKWARD)) {
                for (int[] strides : new int[][] {{1, 1}, {1, 0}, {0, 1}}) {
                    int sa = strides[0], sb = strides[1];
                    float[] o = new float[n + 7];
                    boolean ran = Float32Scalar.binary(op, a, oa, sa, b, ob, sb, o, oc, n);
                    if (!ran) continue; // the caller's generic loop takes it
                    for (int i = 0; i < n; i++) {
                        float x = a[oa + i * sa], y = b[ob + i * sb];
                        float want = (float) op.apply((double) x, y);
                        assertSameFloat(want, o[oc + i], op + "(" + x + ", " + y + ") strides " + sa + "," + sb
                                + " offsets " + java.util.Arrays.toString(offsets));
                    }
                }
            }
        }
    }

    /** The same float, NaN matching any NaN, and 0.0 and -0.0 told apart. */
    private static void assertSameFloat(float want, float got, String what) {
        if (Float.isNaN(want) && Float.isNaN(got)) return;
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got), what + ": want " + want + ", got " + got);
    }

    private static double[] random(Random r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextGaussian();
        return x;
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }
}
