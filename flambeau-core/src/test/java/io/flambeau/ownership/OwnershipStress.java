package io.flambeau.ownership;

import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.TensorInternals;
import io.flambeau.Torch;
import io.flambeau.backend.Storage;
import io.flambeau.backend.cpu.CpuStorageAccess;
import io.flambeau.core.ClosedTensorException;
import io.flambeau.core.Device;
import io.flambeau.core.ScopeException;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A random program over the memory-ownership rules, checked against a shadow model: creation,
 * slices (views), in-place writes, reads to host, nested scopes closed in random order (out of
 * order must be refused), keep, close(), and backward passes whose freed gradients go back to the
 * allocator. After every step, every value read to the host earlier must still hold, every live
 * tensor must hold its shadow's values, and no two live tensors may share memory unless one is a
 * view of the other. Values are small integers, so float32 arithmetic is exact (values compare
 * numerically, so 0 and -0 are equal; a host read must stay bit for bit what it was).
 */
final class OwnershipStress {
    /** A tensor of the program: a 1-D base, or a strided slice of one. */
    private static final class Entry {
        final Tensor t;
        final Entry base;          // null for a base
        final float[] values;      // a base's expected values
        final int start, step, length;
        Scope owner;               // the scope that releases it, null when untracked
        boolean closed;

        Entry(Tensor t, float[] values, Scope owner) {
            this.t = t; this.base = null; this.values = values; this.start = 0; this.step = 1;
            this.length = values.length; this.owner = owner;
        }

        Entry(Tensor t, Entry base, int start, int step, int length) {
            this.t = t; this.base = base; this.values = null; this.start = start; this.step = step;
            this.length = length; this.owner = base.owner;
        }

        Entry root() { return base == null ? this : base; }

        float expected(int i) { return root().values[start + i * step]; }

        void set(int i, float v) { root().values[start + i * step] = v; }

        float[] expectedAll() {
            float[] out = new float[length];
            for (int i = 0; i < length; i++) out[i] = expected(i);
            return out;
        }

        boolean isClosed() { return root().closed; }
    }

    private record HostRead(float[] array, float[] copy, String what) {}

    /** A leaf with its expected accumulated gradient. */
    private record Leaf(Tensor w, float[] grad) {}

    private final Random rng;
    private final Device device;
    private final int[] sizes;
    private final List<Entry> entries = new ArrayList<>();
    private final List<HostRead> reads = new ArrayList<>();
    private final List<Scope> scopes = new ArrayList<>(); // innermost last
    private final List<Leaf> leaves = new ArrayList<>();
    private int steps;

    OwnershipStress(long seed, Device device, int[] sizes) {
        this.rng = new Random(seed);
        this.device = device;
        this.sizes = sizes;
    }

    void run(int count) {
        for (int i = 0; i < count; i++) {
            step();
            checkReads();
            checkLive(3);
        }
        while (!scopes.isEmpty()) closeInnermost();
        checkLive(Integer.MAX_VALUE);
        checkReads();
        checkDistinctMemory();
        for (Leaf l : leaves) assertArrayEquals(l.grad, l.w.grad().toFloatArray(), 0f, "leaf gradient");
    }

    private void step() {
        steps++;
        int op = rng.nextInt(100);
        if (op < 14) create();
        else if (op < 22) slice();
        else if (op < 36) inPlace();
        else if (op < 48) combine();
        else if (op < 60) read();
        else if (op < 68) openScope();
        else if (op < 75) closeScope();
        else if (op < 79) keep();
        else if (op < 85) closeOne();
        else if (op < 95) backward();
        else useClosed();
        if (steps % 50 == 0) checkDistinctMemory();
    }

    private Scope innermost() { return scopes.isEmpty() ? null : scopes.get(scopes.size() - 1); }

    private Entry live(boolean baseOnly) {
        List<Entry> open = new ArrayList<>();
        for (Entry e : entries) if (!e.isClosed() && (!baseOnly || e.base == null)) open.add(e);
        return open.isEmpty() ? null : open.get(rng.nextInt(open.size()));
    }

    private Entry liveOfLength(int length) {
        List<Entry> open = new ArrayList<>();
        for (Entry e : entries) if (!e.isClosed() && e.length == length) open.add(e);
        return open.isEmpty() ? null : open.get(rng.nextInt(open.size()));
    }

    private void create() {
        int n = sizes[rng.nextInt(sizes.length)];
        float v = rng.nextInt(9) - 4;
        float[] values = new float[n];
        Tensor t;
        if (rng.nextBoolean()) {
            java.util.Arrays.fill(values, v);
            t = Torch.full(new long[] {n}, v, io.flambeau.core.DType.FLOAT32, device);
        } else {
            for (int i = 0; i < n; i++) values[i] = i % 17 + v;
            values = values.clone();
            t = Torch.tensor(values.clone()).to(device); // from a host array the program keeps using
        }
        entries.add(new Entry(t, values, innermost()));
    }

    private void slice() {
        Entry b = live(true);
        if (b == null || b.length < 4) return;
        int start = rng.nextInt(b.length / 2), step = 1 + rng.nextInt(3);
        int length = (b.length - start + step - 1) / step;
        Tensor v = b.t.get(start + ":" + b.length + ":" + step);
        entries.add(new Entry(v, b, start, step, length));
    }

    private void inPlace() {
        Entry e = live(false);
        if (e == null) return;
        switch (rng.nextInt(4)) {
            case 0 -> { float k = rng.nextInt(5) - 2; e.t.add_(k); for (int i = 0; i < e.length; i++) e.set(i, e.expected(i) + k); }
            case 1 -> { e.t.mul_(-1); for (int i = 0; i < e.length; i++) e.set(i, -e.expected(i)); }
            case 2 -> { float k = rng.nextInt(7) - 3; e.t.fill_(k); for (int i = 0; i < e.length; i++) e.set(i, k); }
            default -> {
                Entry src = liveOfLength(e.length);
                if (src == null || src.root() == e.root()) return; // overlapping copies are another subject
                float[] s = src.expectedAll();
                e.t.copy_(src.t);
                for (int i = 0; i < e.length; i++) e.set(i, s[i]);
            }
        }
        bound(e.root());
    }

    /** Keeps values small: float32 stays exact. */
    private void bound(Entry root) {
        for (float v : root.values) {
            if (Math.abs(v) > 1 << 16) {
                root.t.fill_(1);
                java.util.Arrays.fill(root.values, 1);
                return;
            }
        }
    }

    private void combine() {
        Entry a = live(false);
        if (a == null) return;
        Entry b = liveOfLength(a.length);
        if (b == null) return;
        float[] x = a.expectedAll(), y = b.expectedAll(), out = new float[a.length];
        Tensor t;
        switch (rng.nextInt(3)) {
            case 0 -> { t = a.t.add(b.t); for (int i = 0; i < out.length; i++) out[i] = x[i] + y[i]; }
            case 1 -> { t = a.t.sub(b.t); for (int i = 0; i < out.length; i++) out[i] = x[i] - y[i]; }
            default -> { t = a.t.neg(); for (int i = 0; i < out.length; i++) out[i] = -x[i]; }
        }
        Entry e = new Entry(t, out, innermost());
        entries.add(e);
        bound(e);
    }

    private void read() {
        Entry e = live(false);
        if (e == null) return;
        float[] a = e.t.toFloatArray();
        float[] expected = e.expectedAll();
        assertArrayEquals(expected, a, 0f, "a fresh read at step " + steps);
        reads.add(new HostRead(a, a.clone(), "read at step " + steps));
        if (reads.size() > 64) reads.remove(0);
    }

    private void openScope() {
        if (scopes.size() < 4) scopes.add(Scope.open());
    }

    private void closeScope() {
        if (scopes.isEmpty()) return;
        int i = rng.nextInt(scopes.size());
        if (i < scopes.size() - 1) {
            Scope outer = scopes.get(i);
            assertThrows(ScopeException.class, outer::close, "closing a scope with an inner one still open");
            return;
        }
        closeInnermost();
    }

    private void closeInnermost() {
        Scope s = scopes.remove(scopes.size() - 1);
        s.close();
        for (Entry e : entries) if (e.base == null && e.owner == s) e.closed = true;
    }

    private void keep() {
        Scope s = innermost();
        if (s == null) return;
        for (Entry e : entries) {
            if (e.base == null && e.owner == s && !e.closed && rng.nextBoolean()) {
                s.keep(e.t);
                e.owner = scopes.size() > 1 ? scopes.get(scopes.size() - 2) : null;
                return;
            }
        }
    }

    private void closeOne() {
        Entry e = live(false);
        if (e == null) return;
        e.t.close();
        e.root().closed = true;
    }

    private void backward() {
        Entry x = live(false);
        if (x == null) return;
        Leaf leaf = leafOfLength(x.length);
        float[] xv = x.expectedAll();
        boolean viaRelu = rng.nextBoolean();
        try (Scope s = Scope.open()) { // the step's graph and gradients: freed by backward or by s
            scopes.add(s);
            Tensor loss = viaRelu ? leaf.w.mul(x.t).relu().add(leaf.w).sum() : leaf.w.mul(x.t).mul(2.0).sum();
            loss.backward();
            scopes.remove(s);
        }
        for (int i = 0; i < xv.length; i++) leaf.grad[i] += viaRelu ? (xv[i] > 0 ? xv[i] : 0) + 1 : 2 * xv[i];
    }

    private Leaf leafOfLength(int n) {
        for (Leaf l : leaves) if (l.grad.length == n) return l;
        Leaf l = new Leaf(Scope.outside(() -> Torch.ones(n).to(device).requiresGrad_()), new float[n]);
        leaves.add(l);
        return l;
    }

    private void useClosed() {
        for (Entry e : entries) {
            if (e.isClosed()) {
                assertThrows(ClosedTensorException.class, () -> e.t.toFloatArray(), "a released tensor is never read");
                return;
            }
        }
    }

    private void checkReads() {
        for (HostRead r : reads) assertArrayEquals(r.copy, r.array, r.what + " changed at step " + steps);
    }

    private void checkLive(int atMost) {
        int checked = 0;
        for (int k = entries.size() - 1; k >= 0 && checked < atMost; k--) {
            Entry e = entries.get(k);
            if (e.isClosed()) continue;
            assertArrayEquals(e.expectedAll(), e.t.toFloatArray(), 0f, "live tensor " + k + " at step " + steps);
            checked++;
        }
        entries.removeIf(Entry::isClosed);
    }

    /** Live bases never share memory: distinct arrays on the CPU, disjoint address ranges on a GPU. */
    private void checkDistinctMemory() {
        Map<Object, Entry> arrays = new IdentityHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        for (Entry e : entries) {
            if (e.isClosed() || e.base != null) continue;
            Storage s = TensorInternals.variable(e.t).data.storage;
            Object array = CpuStorageAccess.array(s);
            if (array != null) {
                Entry other = arrays.put(array, e);
                if (other != null && other != e) fail("two live tensors share one array at step " + steps);
            } else {
                ranges.add(new long[] {s.dataPtr(), s.dataPtr() + s.size() * s.dtype().byteSize()});
            }
        }
        for (Leaf l : leaves) {
            Storage g = l.w.grad() == null ? null : TensorInternals.variable(l.w.grad()).data.storage;
            if (g != null && CpuStorageAccess.array(g) != null) {
                assertTrue(arrays.put(CpuStorageAccess.array(g), null) == null, "a leaf's gradient shares an array");
            }
        }
        ranges.sort((p, q) -> Long.compare(p[0], q[0]));
        for (int i = 1; i < ranges.size(); i++) {
            assertTrue(ranges.get(i)[0] >= ranges.get(i - 1)[1], "two live tensors overlap on the device at step " + steps);
        }
    }
}
