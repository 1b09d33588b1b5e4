package io.flambeau.conformance;

import java.util.Arrays;
import java.util.Random;

/** Shapes that broadcast with a given one, as PyTorch's rules allow. */
final class Broadcasting {
    private Broadcasting() {}

    /**
     * A random shape that broadcasts with {@code a}: some dimensions turned to 1, some of a's 1s
     * widened, leading dimensions dropped or added, at most {@link SequenceGenerator#MAX_ELEMENTS}
     * elements in the broadcast result.
     */
    static long[] partner(long[] a, Random rnd) {
        long[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            int r = rnd.nextInt(8);
            if (r < 2) b[i] = 1;
            else if (r < 4 && a[i] == 1) b[i] = 2 + rnd.nextInt(2);
        }
        int r = rnd.nextInt(8);
        if (r < 2 && b.length > 0) {
            b = Arrays.copyOfRange(b, rnd.nextInt(b.length + 1), b.length);
        } else if (r == 2 && b.length < 4) {
            long[] c = new long[b.length + 1];
            c[0] = 1 + rnd.nextInt(3);
            System.arraycopy(b, 0, c, 1, b.length);
            b = c;
        }
        long[] result = result(a, b);
        return result != null && SequenceGenerator.numel(result) <= SequenceGenerator.MAX_ELEMENTS ? b : a.clone();
    }

    /** The broadcast shape of {@code a} and {@code b}, or null when they do not broadcast. */
    static long[] result(long[] a, long[] b) {
        int n = Math.max(a.length, b.length);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long x = i < n - a.length ? 1 : a[i - (n - a.length)];
            long y = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (x != y && x != 1 && y != 1) return null;
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /** Whether a tensor of shape {@code b} can be written into (broadcast to exactly) shape {@code a}. */
    static boolean fitsInto(long[] b, long[] a) {
        long[] r = result(a, b);
        return r != null && Arrays.equals(r, a);
    }
}
