package io.flambeau.backend;

/**
 * A backend that runs advanced indexing as one kernel each way, checking the indices inside the
 * kernel instead of reading them back first (the CUDA backend). Backends without it get the
 * composed form: offsets built by elementwise primitives, bounds checked on the host, then
 * {@link Backend#take}/{@link Backend#put}.
 */
public interface DeviceIndexing {
    /** {@code out[p] = storage[offset(p)]}; {@code out} is dense with {@code index.shape()}. */
    void gather(AdvancedIndex index, View out);

    /**
     * {@code storage[offset(p)] = values[p]} (or {@code +=} with {@code accumulate}, where repeated
     * offsets add up); {@code values} has the indexed storage's dtype and is viewed at
     * {@code index.shape()} (broadcast dims carry stride 0).
     */
    void scatter(AdvancedIndex index, View values, boolean accumulate);
}
