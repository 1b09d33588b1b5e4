package io.flambeau;

import java.util.Arrays;

/**
 * A tensor's sizes; prints as PyTorch does: {@code torch.Size([2, 3, 4])}.
 *
 * <pre>{@code
 * Shape s = Torch.zeros(2, 3, 4).shape();
 * System.out.println(s);          // torch.Size([2, 3, 4])
 * long rows = s.get(0), last = s.get(-1), n = s.numel();   // 2, 4, 24
 * }</pre>
 */
public final class Shape {
    private final long[] dims;

    public Shape(long... dims) {
        this.dims = dims.clone();
    }

    public int rank() { return dims.length; }

    public long get(int i) { return dims[i < 0 ? i + dims.length : i]; }

    public long[] toArray() { return dims.clone(); }

    public long numel() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    @Override
    public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }

    @Override
    public int hashCode() { return Arrays.hashCode(dims); }

    @Override
    public String toString() { return "torch.Size(" + Arrays.toString(dims) + ")"; }
}
