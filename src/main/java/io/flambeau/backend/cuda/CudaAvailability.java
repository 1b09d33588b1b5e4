package io.flambeau.backend.cuda;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaUnavailableException;

import java.util.List;

/**
 * Whether CUDA can be used here, and the one line that says why or why not: what the CUDA
 * backend provider reports to device selection and what the doctor command prints first.
 *
 * <p>Reason lines, one per way it can go wrong: no driver (libcuda.so.1 not found), a stub driver,
 * a driver too old for PTX 7.0, no device. When CUDA works but cuBLAS is missing, {@link #note()}
 * says that matrix products run on Flambeau's PTX GEMM instead.
 */
public final class CudaAvailability {
    private final CudaApi api;
    private final int deviceCount;
    private final CudaUnavailableException failure;

    private CudaAvailability(CudaApi api, int deviceCount, CudaUnavailableException failure) {
        this.api = api;
        this.deviceCount = deviceCount;
        this.failure = failure;
    }

    /** Opens the binding {@link CudaApiFactory#find()} chooses and counts its devices. Never throws. */
    public static CudaAvailability probe() {
        try {
            return of(CudaApiFactory.find().open());
        } catch (CudaUnavailableException e) {
            return failed(e);
        }
    }

    /** CUDA unavailable for the reason {@code e} gives (what {@link #probe()} returns when opening fails). */
    public static CudaAvailability failed(CudaUnavailableException e) {
        return new CudaAvailability(null, 0, e);
    }

    /** The availability of an already opened binding (used by tests with a simulated or loopback driver). */
    public static CudaAvailability of(CudaApi api) {
        try {
            int n = api.deviceCount();
            if (n > 0) return new CudaAvailability(api, n, null);
            return new CudaAvailability(api, 0, new CudaUnavailableException(CudaUnavailableException.Reason.NO_DEVICE,
                    "NVIDIA driver found but it reports no CUDA device", "cuDeviceGetCount returned 0", List.of(), null));
        } catch (CudaException e) {
            return new CudaAvailability(null, 0, new CudaUnavailableException(CudaUnavailableException.Reason.INIT_FAILED,
                    "the CUDA driver failed to list devices (" + e.errorName() + ")", e.getMessage(), List.of(), e));
        }
    }

    /** Whether at least one device can be used. */
    public boolean usable() { return failure == null; }

    /** The opened binding when {@link #usable()}, else null. */
    public CudaApi api() { return failure == null ? api : null; }

    public int deviceCount() { return deviceCount; }

    /** Why CUDA cannot be used (null when it can). */
    public CudaUnavailableException failure() { return failure; }

    /** One line for the log: why CUDA is unusable, or empty when it is usable. */
    public String reasonLine() { return failure == null ? "" : failure.reasonLine(); }

    /**
     * What a user should know although CUDA works, or empty: today only that cuBLAS is missing
     * and matrix products use the PTX GEMM.
     */
    public String note() {
        if (failure != null || api.hasBlas()) return "";
        return "cuBLAS not found (libcublas.so.13 / .12), matrix products use Flambeau's PTX GEMM";
    }
}
