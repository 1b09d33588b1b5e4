package io.flambeau.backend;

/**
 * A backend that writes ranges with a kernel (the CUDA backend), so {@code arange} on a device
 * uploads nothing. Elsewhere the range is computed on the host and uploaded.
 */
public interface DeviceRanges {
    /** {@code out[i] = (T) (start + i * step)}, computed in double and converted; out is dense float32/float64. */
    void arange(View out, double start, double step);

    /** {@code out[i] = start + i * step} in int64 arithmetic; out is dense int64. */
    void arange(View out, long start, long step);
}
