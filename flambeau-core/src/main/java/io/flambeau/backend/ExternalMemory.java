package io.flambeau.backend;

import io.flambeau.core.DType;
import io.flambeau.core.Ownership;

/**
 * A backend that can share its device memory and queue with other native libraries (the CUDA
 * backend). The public {@code Cuda} facade uses it without naming a concrete backend: wrapping a
 * device pointer made elsewhere as a storage without copying, and handing out the native stream
 * and context Flambeau's work runs on, so that other libraries can order their work after it.
 */
public interface ExternalMemory {
    /**
     * A storage over {@code numel} elements of {@code dtype} at device address {@code address}, not
     * copied. The memory must belong to this device's primary context and be aligned to the dtype's
     * size. {@link Ownership#OWNED} memory is freed with {@code cuMemFree} when the storage is
     * released; {@link Ownership#BORROWED} memory never is.
     */
    Storage wrap(long address, DType dtype, long numel, Ownership ownership);

    /** The native stream ({@code CUstream}) all of this device's work is queued on, in order. */
    long streamHandle();

    /** The native context ({@code CUcontext}) this device's memory and work belong to: its primary context. */
    long contextHandle();
}
