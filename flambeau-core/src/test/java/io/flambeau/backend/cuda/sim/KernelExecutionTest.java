package io.flambeau.backend.cuda.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flambeau.backend.cuda.api.KernelArgs;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whole kernels of the kinds a tensor backend runs, checked against plain Java. */
class KernelExecutionTest {
    private final SimHarness sim = new SimHarness();

    @Test
    void vectorAddWithGridStrideLoopCoversEveryElementOnce() {
        int n = 10_007; // not a multiple of the block or grid size
        float[] a = new float[n], b = new float[n];
        Random rnd = new Random(1);
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() * 100 - 50;
            b[i] = rnd.nextFloat();
        }
        long pa = sim.upload(a), pb = sim.upload(b), pc = sim.api.memAlloc(n * 4L);
        long f = sim.function(TestKernels.VADD, "vadd");
        // 7 blocks of 128 threads: each thread loops ~11 times
        sim.launch(f, 7, 128, new KernelArgs().ptr(pa).ptr(pb).ptr(pc).u64(n));
        float[] c = sim.floats(pc, n);
        for (int i = 0; i < n; i++) assertEquals(a[i] + b[i], c[i], 0f, "element " + i);
        assertEquals(1, sim.cuda.launchCount("vadd"));
    }

    @Test
    void vectorAddLeavesMemoryPastNUntouched() {
        float[] a = {1, 2, 3, 4, 5};
        long pa = sim.upload(a), pb = sim.upload(a), pc = sim.upload(new float[] {9, 9, 9, 9, 9});
        sim.launch(sim.function(TestKernels.VADD, "vadd"), 1, 32, new KernelArgs().ptr(pa).ptr(pb).ptr(pc).u64(3));
        assertArrayEquals(new float[] {2, 4, 6, 9, 9}, sim.floats(pc, 5));
    }

    @Test
    void sharedMemoryTreeReductionWithBarriers() {
        int n = 1000, blocks = (n + 255) / 256;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (i % 17) - 8 + 0.25f;
        long px = sim.upload(x), partial = sim.api.memAlloc(blocks * 4L);
        sim.launch(sim.function(TestKernels.BLOCK_SUM, "block_sum"), blocks, 256,
                new KernelArgs().ptr(px).ptr(partial).u32(n));
        float[] got = sim.floats(partial, blocks);
        for (int blk = 0; blk < blocks; blk++) {
            // the same pairwise tree the kernel builds, in float
            float[] s = new float[256];
            for (int t = 0; t < 256; t++) s[t] = blk * 256 + t < n ? x[blk * 256 + t] : 0f;
            for (int stride = 128; stride > 0; stride >>= 1) {
                for (int t = 0; t < stride; t++) s[t] = s[t] + s[t + stride];
            }
            assertEquals(s[0], got[blk], 0f, "block " + blk);
        }
    }

    @Test
    void atomicsSerialiseAllUpdates() {
        int n = 1000, block = 128, grid = (n + block - 1) / block;
        long counters = sim.upload(new int[] {0, Float.floatToIntBits(0f), Integer.MIN_VALUE, Integer.MAX_VALUE, 0});
        long tickets = sim.api.memAlloc(n * 4L);
        long hist = sim.upload(new int[8]);
        sim.launch(sim.function(TestKernels.ATOMICS, "atomics"), grid, block,
                new KernelArgs().ptr(counters).ptr(tickets).ptr(hist).u32(n));
        int[] c = sim.ints(counters, 5);
        assertEquals(n, c[0], "atom.add.u32 counter");
        assertEquals(n, Float.intBitsToFloat(c[1]), 0f, "red.add.f32 of 1.0");
        assertEquals(n - 1, c[2], "atom.max.s32");
        assertEquals(-(n - 1), c[3], "atom.min.s32");
        assertTrue(c[4] >= 1 && c[4] <= n, "exactly one cas wins: " + c[4]);
        int[] t = sim.ints(tickets, n);
        Arrays.sort(t);
        for (int i = 0; i < n; i++) assertEquals(i, t[i], "tickets are a permutation of 0..n-1");
        int[] h = sim.ints(hist, 8);
        for (int b = 0; b < 8; b++) assertEquals((n + 7 - b) / 8, h[b], "histogram bin " + b);
    }

    @Test
    void wideFloatExchangeIncDecOrAndCasAtomics() {
        int n = 45;
        long slots = sim.upload(new long[7]);
        sim.launch(sim.function(TestKernels.ATOMICS_64, "atomics64"), 1, 64, new KernelArgs().ptr(slots).u32(n));
        var b = sim.download(slots, 56);
        assertEquals((long) n * (n - 1) / 2, b.getLong(0), "atom.add.u64");
        assertEquals(n * (n - 1) / 2.0, b.getDouble(8), 0.0, "red.add.f64");
        assertEquals(n - 1, b.getLong(16), "atom.max.u64");
        assertTrue(b.getLong(24) >= 0 && b.getLong(24) < n, "atom.exch.b64 leaves some thread's value");
        assertEquals(n % 4, b.getInt(32), "atom.inc.u32 wraps to 0 after reaching 3");
        assertEquals((6 - n % 6) % 6, b.getInt(36), "atom.dec.u32 wraps from 0 to 5");
        assertEquals(-1, b.getInt(40), "atom.or.b32 of 1 << (i % 32) sets every bit");
        assertTrue(b.getLong(48) >= 1 && b.getLong(48) <= n, "exactly one atom.cas.b64 wins");
    }

    @Test
    void divergentLoopsAndPredicatedInstructions() {
        int n = 300;
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) xs[i] = (i % 2 == 0 ? -1 : 1) * (i * 0.37f) + (i % 7 == 0 ? Float.NaN : 0);
        long px = sim.upload(xs), steps = sim.api.memAlloc(n * 4L), piece = sim.api.memAlloc(n * 4L);
        sim.launch(sim.function(TestKernels.BRANCHES, "branches"), 3, 128,
                new KernelArgs().ptr(px).ptr(steps).ptr(piece).u32(n));
        int[] s = sim.ints(steps, n);
        float[] p = sim.floats(piece, n);
        for (int i = 0; i < n; i++) {
            long v = i + 1;
            int k = 0;
            while (v != 1) {
                v = v % 2 == 0 ? v / 2 : 3 * v + 1;
                k++;
            }
            assertEquals(k, s[i], "collatz steps of " + (i + 1));
            float x = xs[i];
            float want = x < 0 ? x * -2f : x > 10 ? 10f : x;
            assertEquals(want, p[i], 0f, "piecewise at " + i + " (x=" + x + ")");
        }
    }

    @Test
    void warpShuffleReductionAndBallot() {
        int n = 128;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i % 3 == 0 ? -i : i;
        long px = sim.upload(x), out = sim.api.memAlloc(16), ballots = sim.api.memAlloc(16);
        sim.launch(sim.function(TestKernels.WARP_SUM, "warp_sum"), 2, 64, new KernelArgs().ptr(px).ptr(out).ptr(ballots));
        float[] sums = sim.floats(out, 4);
        int[] bal = sim.ints(ballots, 4);
        for (int w = 0; w < 4; w++) {
            float[] v = Arrays.copyOfRange(x, w * 32, w * 32 + 32);
            for (int off = 16; off > 0; off >>= 1) {
                float[] next = new float[32];
                for (int l = 0; l < 32; l++) next[l] = v[l] + v[l ^ off];
                v = next;
            }
            assertEquals(v[0], sums[w], 0f, "warp " + w);
            int want = 0;
            for (int l = 0; l < 32; l++) if (x[w * 32 + l] > 0) want |= 1 << l;
            assertEquals(want, bal[w], "ballot of warp " + w);
        }
    }

    @Test
    void divergentThreadsReconvergeBeforeAWarpShuffle() {
        int n = 64;
        long[] a = new long[n];
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 3 == 0 ? -i : i * 0.5f;
            a[i] = SimHarness.f32(x[i]);
        }
        long[] out = sim.elementwise(TestKernels.elementwise(SemanticsKernels.RECONVERGE), a, null, 1);
        for (int i = 0; i < n; i++) {
            float y = x[i] < 0 ? -x[i] : x[i] + 1, z = x[i ^ 1] < 0 ? -x[i ^ 1] : x[i ^ 1] + 1;
            assertEquals(y + z, SimHarness.asF32(out[i]), 0f, "lane " + i);
        }
    }

    @Test
    void structParamModuleTableDynamicSharedVectorsAndBytes() {
        int n = 10, stride = 3;
        float[] x = new float[n * stride];
        for (int i = 0; i < x.length; i++) x[i] = i * 0.5f;
        byte[] flags = new byte[n];
        for (int i = 0; i < n; i++) flags[i] = (byte) (i % 3 == 0 ? 1 : 0);
        long px = sim.upload(x), pf = sim.upload(flags), out = sim.api.memAlloc(n * 4L);
        long f = sim.function(TestKernels.FEATURES, "features");
        sim.api.launchKernel(f, 1, 1, 1, 32, 1, 1, 32 * 16, 0,
                new KernelArgs().ptr(px).ptr(pf).ptr(out).longs(n, stride));
        float[] got = sim.floats(out, n);
        float[] table = {1, 2, 3, 4};
        for (int i = 0; i < n; i++) {
            float v = x[i * stride] * table[i % 4] + (flags[i] != 0 ? 1f : 0f);
            assertEquals((v + v) * 2f, got[i], 0f, "element " + i);
        }
    }

    @Test
    void scalarParametersAreBoundInDeclarationOrder() {
        long out = sim.api.memAlloc(32);
        sim.launch(sim.function(TestKernels.PARAMS, "params"), 1, 1,
                new KernelArgs().ptr(out).f32(1.5f).f64(-2.25).s32(-7).u64(0xFFFF_FFFF_FFFFL));
        var b = sim.download(out, 32);
        assertEquals(1.5f, b.getFloat(0));
        assertEquals(-2.25, b.getDouble(8));
        assertEquals(-7, b.getInt(16));
        assertEquals(0xFFFF_FFFF_FFFFL, b.getLong(24));
    }

    @Test
    void parsedModulesAreCachedByText() {
        long before = sim.cuda.ptxParses();
        sim.api.moduleLoadData(TestKernels.VADD);
        sim.api.moduleLoadData(TestKernels.VADD);
        sim.api.moduleLoadData(TestKernels.COPY);
        assertEquals(2, sim.cuda.ptxParses() - before);
    }
}
