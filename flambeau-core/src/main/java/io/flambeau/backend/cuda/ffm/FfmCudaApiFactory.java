package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.DriverCompatibility;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaApiFactory;
import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.CudaUnavailableException;
import io.flambeau.backend.cuda.api.CudaUnavailableException.Reason;
import io.flambeau.backend.cuda.checked.CheckedCudaApi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The Panama FFM binding as a {@link CudaApiFactory} service ({@code flambeau.cuda.binding=ffm}, tried
 * first). Each way CUDA can be unusable becomes a {@link CudaUnavailableException} with its own
 * reason line and advice, in the order they are discovered: no library, a driver too old for PTX
 * 7.0, a stub library, no device. cuBLAS is optional: without it {@link CudaApi#hasBlas()} is false.
 */
public final class FfmCudaApiFactory implements CudaApiFactory {
    private static CheckedCudaApi shared;

    @Override
    public String name() { return "ffm"; }

    /** Before JCuda or any other binding: FFM needs nothing but the driver. */
    @Override
    public int priority() { return 10; }

    /**
     * The JVM's one FFM binding, opened on first success, behind the checked seam. One instance,
     * because the seam checks every pointer and handle against what it handed out: a second instance
     * would refuse the first's.
     */
    @Override
    public CudaApi create() {
        synchronized (FfmCudaApiFactory.class) {
            if (shared == null) shared = openNew();
            return shared;
        }
    }

    /**
     * A new binding over the libraries {@link CudaLibraries} finds, after the checks that make
     * CUDA usable, behind the checked seam (the binding itself checks no argument, so it is never
     * handed out bare); {@code cuInit} has been called. Tests use a fresh one per scenario.
     */
    static CheckedCudaApi openNew() {
        CudaLibraries.Loaded driver = CudaLibraries.driver();
        int version = driverVersion(driver);
        if (version > 0 && !DriverCompatibility.supported(version)) {
            throw new CudaUnavailableException(Reason.DRIVER_TOO_OLD, DriverCompatibility.tooOldLine(version),
                    DriverCompatibility.tooOldAdvice(version) + " (driver library: " + driver.origin() + ")", List.of(), null);
        }
        List<String> missing = CudaDriver_h.missingSymbols();
        if (!missing.isEmpty()) {
            throw new CudaUnavailableException(Reason.DRIVER_TOO_OLD, "the CUDA driver at " + driver.origin()
                    + " lacks functions Flambeau binds", "missing " + missing + "; update the NVIDIA driver to R450 or newer",
                    List.of(), null);
        }
        int status = CudaDriver_h.cuInit(0);
        if (status != CudaStatus.SUCCESS) throw initFailure(status, driver);
        boolean blas = CudaLibraries.blas().isPresent() && Cublas_h.missingSymbols().isEmpty();
        return CheckedCudaApi.of(new FfmCudaApi(blas));
    }

    /** {@code cuDriverGetVersion}, which works before {@code cuInit}; 0 when the symbol is missing. */
    private static int driverVersion(CudaLibraries.Loaded driver) {
        if (driver.lookup().find("cuDriverGetVersion").isEmpty()) return 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(CudaDriver_h.C_INT);
            StatusCheck.check(CudaDriver_h.cuDriverGetVersion(out), "cuDriverGetVersion");
            return out.get(CudaDriver_h.C_INT, 0);
        }
    }

    private static CudaUnavailableException initFailure(int status, CudaLibraries.Loaded driver) {
        String name = StatusCheck.name(status);
        return switch (status) {
            case CudaStatus.STUB_LIBRARY -> new CudaUnavailableException(Reason.STUB_DRIVER,
                    "the libcuda.so.1 found is the CUDA toolkit's stub, not a driver",
                    "cuInit: " + name + " from " + driver.origin() + "; remove the toolkit's lib64/stubs folder from "
                            + "LD_LIBRARY_PATH and install the NVIDIA driver", List.of(), null);
            case CudaStatus.NO_DEVICE -> new CudaUnavailableException(Reason.NO_DEVICE,
                    "NVIDIA driver found but no CUDA device (cuInit: " + name + ")",
                    noDeviceAdvice(), List.of(), null);
            default -> new CudaUnavailableException(Reason.INIT_FAILED,
                    "the CUDA driver failed to initialise (cuInit: " + name + ")",
                    StatusCheck.string(status) + "; run nvidia-smi to see the driver's state (a driver/library version "
                            + "mismatch after an update needs a reboot)", List.of(), null);
        };
    }

    private static String noDeviceAdvice() {
        String visible = System.getenv("CUDA_VISIBLE_DEVICES");
        String hint = visible != null ? "CUDA_VISIBLE_DEVICES=" + visible + " hides the others; " : "";
        return hint + "check that nvidia-smi lists a GPU; inside a container, run it with --gpus all";
    }
}
