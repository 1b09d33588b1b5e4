package io.flambeau.tools;

import io.flambeau.backend.cuda.CudaAvailability;
import io.flambeau.backend.cuda.api.CuDeviceAttribute;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaUnavailableException;
import io.flambeau.backend.cuda.ffm.CudaLibraries;
import io.flambeau.backend.cuda.DriverCompatibility;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code mvn -q compile exec:exec@doctor}: what Flambeau finds on this machine and whether it works.
 *
 * <p>Prints the JDK and OS, the CUDA driver's version and the PTX ISA it accepts, each device (name,
 * compute capability, memory, multiprocessors), whether cuBLAS was found and its version, then runs
 * {@link SelfTest} on device 0. Exit status: 0 when every check passed, 1 when a check failed,
 * 2 when CUDA cannot be used at all (Flambeau then runs on the CPU); every failure says what to do.
 */
public final class Doctor {
    private final PrintStream out;

    public Doctor(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new Doctor(System.out).run(CudaAvailability.probe()));
    }

    /** Prints the report for what {@code cuda} found; returns the exit status. */
    public int run(CudaAvailability cuda) {
        out.println("Flambeau doctor");
        out.println("  JDK   " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        String binding = java.util.Objects.requireNonNullElse(CudaAvailability.chosenBinding(), "ffm");
        String path = System.getProperty(CudaLibraries.PATH_PROPERTY);
        out.println("  CUDA binding " + binding + (path != null ? ", libraries from " + CudaLibraries.PATH_PROPERTY + "=" + path : ""));

        if (!cuda.usable()) return unavailable(cuda.failure());
        CudaApi api = cuda.api();

        out.println();
        out.println("Driver");
        if (binding.equals("ffm")) out.println("  library      " + CudaLibraries.driver().origin());
        int version = api.driverVersion();
        out.println("  version      CUDA " + DriverCompatibility.cudaVersion(version) + " (cuDriverGetVersion " + version + ")");
        out.println("  PTX accepted up to ISA " + DriverCompatibility.maxPtxIsa(version) + "; Flambeau's kernels are PTX "
                + DriverCompatibility.FLAMBEAU_PTX);

        out.println();
        out.println("Devices");
        for (int i = 0; i < cuda.deviceCount(); i++) {
            out.printf(Locale.ROOT, "  cuda:%d  %s, compute capability %d.%d, %.1f GiB, %d multiprocessors%n", i, api.deviceName(i),
                    api.deviceAttribute(CuDeviceAttribute.COMPUTE_CAPABILITY_MAJOR, i),
                    api.deviceAttribute(CuDeviceAttribute.COMPUTE_CAPABILITY_MINOR, i),
                    api.deviceTotalMem(i) / (double) (1L << 30), api.deviceAttribute(CuDeviceAttribute.MULTIPROCESSOR_COUNT, i));
        }

        out.println();
        out.println("cuBLAS");
        if (api.hasBlas()) {
            String where = binding.equals("ffm") ? " at " + CudaLibraries.blas().map(CudaLibraries.Loaded::origin).orElse("?") : "";
            try {
                int v = api.blasVersion();
                out.println("  found        " + v / 10000 + "." + (v / 100) % 100 + "." + v % 100 + " (cublasGetVersion " + v + ")" + where);
            } catch (RuntimeException e) {
                out.println("  found" + where + ", but its version is unknown: " + e.getMessage());
            }
        } else {
            out.println("  not found    " + cuda.note());
            if (binding.equals("ffm")) out.println("  tried        " + String.join(", ", CudaLibraries.blasTried()));
        }

        out.println();
        out.println("Self-test on cuda:0");
        List<SelfTest.Check> checks;
        try {
            checks = new SelfTest(api).run(0);
        } catch (RuntimeException e) { // the device could not even be set up (context, stream)
            checks = List.of(new SelfTest.Check("set up cuda:0 (primary context, stream)", SelfTest.Status.FAIL, e.getMessage(),
                    "run nvidia-smi: the GPU may be in exclusive-process mode and taken by another process, or in a failed state"));
        }
        int failed = 0;
        for (SelfTest.Check c : checks) {
            out.printf(Locale.ROOT, "  [%s] %s%s%n", c.status(), c.name(), c.detail().isEmpty() ? "" : ": " + c.detail());
            if (c.status() == SelfTest.Status.FAIL) {
                failed++;
                if (!c.advice().isEmpty()) out.println("         what to do: " + c.advice());
            }
        }
        out.println();
        if (failed == 0) {
            out.println("All checks passed: Flambeau will use cuda:0 by default (force the CPU with -Dflambeau.device=cpu).");
            return 0;
        }
        out.println(failed + (failed == 1 ? " check" : " checks") + " failed (see what to do above). Until fixed, run on the CPU "
                + "with -Dflambeau.device=cpu.");
        return 1;
    }

    private int unavailable(CudaUnavailableException e) {
        out.println();
        out.println("CUDA is not usable here: " + e.reasonLine());
        if (!e.details().isEmpty()) out.println("  " + e.details().replace("; tried: ", "\n  tried: "));
        out.println();
        out.println("Flambeau will run on the CPU. " + advice(e.reason()));
        return 2;
    }

    private static String advice(CudaUnavailableException.Reason reason) {
        return switch (reason) {
            case NO_DRIVER -> "To use a GPU, install the NVIDIA driver (R450 or newer) and rerun this command.";
            case STUB_DRIVER -> "Remove the CUDA toolkit's stubs folder from LD_LIBRARY_PATH, install the driver and rerun.";
            case DRIVER_TOO_OLD -> "Update the NVIDIA driver to R450 (CUDA 11.0) or newer and rerun.";
            case NO_DEVICE -> "Check that nvidia-smi lists a GPU (in a container: --gpus all) and rerun.";
            case INIT_FAILED -> "Run nvidia-smi; if it fails too, reinstall or reload the driver (a reboot after an update).";
        };
    }
}
