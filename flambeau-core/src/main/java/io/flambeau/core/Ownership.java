package io.flambeau.core;

/**
 * Who frees memory that Flambeau did not allocate but wraps as a tensor (device memory from JCuda
 * or another CUDA library).
 */
public enum Ownership {
    /** The caller keeps ownership: Flambeau never frees it, and the caller must keep it alive while the tensor is used. */
    BORROWED,
    /** Ownership passes to Flambeau: the memory is freed ({@code cuMemFree}) when the tensor's storage is released. */
    OWNED
}
