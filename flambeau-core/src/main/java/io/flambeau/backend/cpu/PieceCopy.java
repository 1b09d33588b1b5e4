package io.flambeau.backend.cpu;

import io.flambeau.backend.View;
import io.flambeau.core.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Moves a flat range of a view's elements (row-major positions {@code [from, from + n)}) between
 * its storage, in either form, and a heap array: {@link #gather} reads it into {@code array[0, n)},
 * {@link #scatter} writes it back. Long arithmetic throughout, any shape, strides and broadcast
 * (stride 0). The view's dims are merged first where they are contiguous, so a dense view is one
 * run; contiguous runs are bulk copies ({@link MemorySegment#copy} off-heap,
 * {@link System#arraycopy} on it), broadcast runs are fills, other runs an element loop.
 */
final class PieceCopy {
    private PieceCopy() {}

    /** {@code array[0, n) = v's elements at flat positions [from, from + n)}. */
    static void gather(View v, long from, int n, Object array) {
        CpuStorage s = (CpuStorage) v.storage();
        walk(v, from, n, (off, stride, at, len) -> getRun(s, off, stride, array, at, len));
    }

    /** {@code v's elements at flat positions [from, from + n) = array[0, n)}. */
    static void scatter(Object array, View v, long from, int n) {
        CpuStorage s = (CpuStorage) v.storage();
        walk(v, from, n, (off, stride, at, len) -> putRun(array, at, s, off, stride, len));
    }

    /** One run: {@code len} storage elements from {@code off} by {@code stride}, array elements from {@code at}. */
    private interface RunAction {
        void run(long off, long stride, int at, int len);
    }

    private static void walk(View v, long from, int n, RunAction action) {
        if (n <= 0) return;
        long[] shape = v.shape(), strides = v.strides();
        // drop size-1 dims and merge dims that step as one contiguous block
        long[] sh = new long[shape.length], st = new long[shape.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (r > 0 && st[r - 1] == strides[d] * shape[d]) {
                sh[r - 1] *= shape[d];
                st[r - 1] = strides[d];
            } else {
                sh[r] = shape[d];
                st[r] = strides[d];
                r++;
            }
        }
        long off = v.offset();
        if (r == 0) {
            action.run(off, 0, 0, n);
            return;
        }
        int last = r - 1;
        long[] idx = new long[r];
        long rem = from;
        for (int d = last; d >= 0; d--) {
            idx[d] = rem % sh[d];
            rem /= sh[d];
            off += idx[d] * st[d];
        }
        int done = 0;
        while (done < n) {
            int len = (int) Math.min(sh[last] - idx[last], n - done);
            action.run(off, st[last], done, len);
            done += len;
            if (done == n) break;
            off += len * st[last];
            idx[last] += len;
            if (idx[last] < sh[last]) continue;
            off -= sh[last] * st[last];
            idx[last] = 0;
            for (int d = last - 1; d >= 0; d--) {
                off += st[d];
                if (++idx[d] < sh[d]) break;
                off -= st[d] * sh[d];
                idx[d] = 0;
            }
        }
    }

    private static void getRun(CpuStorage s, long off, long stride, Object array, int at, int len) {
        DType dt = s.dtype();
        if (stride == 1) {
            if (s.offHeap() && dt == DType.BOOL) {
                // no bulk copy between boolean[] and memory: one byte per element
                boolean[] a = (boolean[]) array;
                for (int i = 0; i < len; i++) a[at + i] = s.seg.get(ValueLayout.JAVA_BYTE, off + i) != 0;
            } else if (s.offHeap()) {
                MemorySegment.copy(s.seg, CpuStorage.layout(dt), off * dt.byteSize(), array, at, len);
            } else {
                System.arraycopy(s.array(), (int) off, array, at, len);
            }
            return;
        }
        if (stride == 0) {
            switch (array) {
                case float[] a -> Arrays.fill(a, at, at + len, (float) s.readD(off));
                case double[] a -> Arrays.fill(a, at, at + len, s.readD(off));
                case long[] a -> Arrays.fill(a, at, at + len, s.readL(off));
                case boolean[] a -> Arrays.fill(a, at, at + len, s.readL(off) != 0);
                default -> throw new IllegalArgumentException(array.getClass().getName());
            }
            return;
        }
        switch (array) {
            case float[] a -> { for (int i = 0; i < len; i++) a[at + i] = (float) s.readD(off + i * stride); }
            case double[] a -> { for (int i = 0; i < len; i++) a[at + i] = s.readD(off + i * stride); }
            case long[] a -> { for (int i = 0; i < len; i++) a[at + i] = s.readL(off + i * stride); }
            case boolean[] a -> { for (int i = 0; i < len; i++) a[at + i] = s.readL(off + i * stride) != 0; }
            default -> throw new IllegalArgumentException(array.getClass().getName());
        }
    }

    private static void putRun(Object array, int at, CpuStorage s, long off, long stride, int len) {
        DType dt = s.dtype();
        if (stride == 1) {
            if (s.offHeap() && dt == DType.BOOL) {
                boolean[] a = (boolean[]) array;
                for (int i = 0; i < len; i++) s.seg.set(ValueLayout.JAVA_BYTE, off + i, (byte) (a[at + i] ? 1 : 0));
            } else if (s.offHeap()) {
                MemorySegment.copy(array, at, s.seg, CpuStorage.layout(dt), off * dt.byteSize(), len);
            } else {
                System.arraycopy(array, at, s.array(), (int) off, len);
            }
            return;
        }
        switch (array) {
            case float[] a -> { for (int i = 0; i < len; i++) s.writeD(off + i * stride, a[at + i]); }
            case double[] a -> { for (int i = 0; i < len; i++) s.writeD(off + i * stride, a[at + i]); }
            case long[] a -> { for (int i = 0; i < len; i++) s.writeL(off + i * stride, a[at + i]); }
            case boolean[] a -> { for (int i = 0; i < len; i++) s.writeL(off + i * stride, a[at + i] ? 1 : 0); }
            default -> throw new IllegalArgumentException(array.getClass().getName());
        }
    }
}
