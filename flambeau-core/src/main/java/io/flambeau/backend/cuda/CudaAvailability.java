package io.flambeau.backend.cuda;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaApiFactory;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaUnavailableException;
import io.flambeau.backend.cuda.api.CudaUnavailableException.Reason;
import io.flambeau.backend.cuda.checked.CheckedCudaApi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Whether CUDA can be used here, and the one line that says why or why not: what device selection
 * logs and what the doctor command prints first.
 *
 * <p>Reason lines, one per way it can go wrong: no driver (libcuda.so.1 not found), a stub driver,
 * a driver too old for PTX 7.0, no device. A binding reports them as
 * {@link CudaUnavailableException#reasonLine()}; any other failure is named by its message. When
 * CUDA works but cuBLAS is missing, {@link #note()} says that matrix products run on Flambeau's PTX
 * GEMM instead.
 */
public final class CudaAvailability {
    /** The system property that picks a binding by {@link CudaApiFactory#name()}. */
    public static final String BINDING_PROPERTY = "flambeau.cuda.binding";
    /** The environment variable that picks a binding when {@value #BINDING_PROPERTY} is not set. */
    public static final String BINDING_ENV = "FLAMBEAU_CUDA_BINDING";

    private final CudaApi api;
    private final int deviceCount;
    private final CudaUnavailableException failure;

    private CudaAvailability(CudaApi api, int deviceCount, CudaUnavailableException failure) {
        this.api = api;
        this.deviceCount = deviceCount;
        this.failure = failure;
    }

    /** The binding chosen by name: {@value #BINDING_PROPERTY}, else {@value #BINDING_ENV}; null when neither is set. */
    public static String chosenBinding() {
        String chosen = System.getProperty(BINDING_PROPERTY);
        if (chosen == null || chosen.isBlank()) chosen = System.getenv(BINDING_ENV);
        return chosen == null || chosen.isBlank() ? null : chosen.trim();
    }

    /**
     * Tries the bindings on the class path (the one {@value #BINDING_PROPERTY} or {@value #BINDING_ENV}
     * names, else all but the {@link CudaApiFactory#onlyWhenChosen()} ones by
     * {@link CudaApiFactory#priority()}) until one finds a device. Never throws.
     */
    public static CudaAvailability probe() {
        List<CudaApiFactory> factories = new ArrayList<>();
        try {
            ServiceLoader.load(CudaApiFactory.class, CudaApiFactory.class.getClassLoader()).forEach(factories::add);
        } catch (ServiceConfigurationError e) { // a binding on the class path that cannot even be instantiated
            return failed(new CudaUnavailableException(Reason.INIT_FAILED, "a CUDA binding failed to load: " + e.getMessage(),
                    "", List.of(), e));
        }
        String chosen = chosenBinding();
        if (chosen != null) factories.removeIf(f -> !f.name().equalsIgnoreCase(chosen));
        else factories.removeIf(CudaApiFactory::onlyWhenChosen);
        if (factories.isEmpty()) {
            String setting = System.getProperty(BINDING_PROPERTY, "").isBlank() ? BINDING_ENV : BINDING_PROPERTY;
            return failed(new CudaUnavailableException(Reason.NO_DRIVER, chosen != null
                    ? setting + "=" + chosen + " names no CUDA binding on the class path"
                    : "no CUDA binding on the class path", "", List.of(), null));
        }
        factories.sort(Comparator.comparingInt(CudaApiFactory::priority));
        CudaAvailability first = null;
        for (CudaApiFactory f : factories) {
            CudaAvailability a = open(f);
            if (a.usable()) return a;
            if (first == null) first = a; // the preferred binding's reason is the one to report
        }
        return first;
    }

    /**
     * Opens one binding: its typed reason when it cannot work, any other failure named by its message.
     * Whatever the factory returns is used behind the checked seam ({@link CheckedCudaApi}).
     */
    public static CudaAvailability open(CudaApiFactory factory) {
        try {
            CudaApi api = CheckedCudaApi.of(factory.create());
            api.init();
            return of(api);
        } catch (CudaUnavailableException e) {
            return failed(e);
        } catch (IllegalCallerException e) {
            // the JVM denies native access (--illegal-native-access=deny, or a future default)
            return failed(new CudaUnavailableException(Reason.INIT_FAILED, "the " + factory.name() + " CUDA binding needs"
                    + " native access, which this JVM denies: start it with --enable-native-access=ALL-UNNAMED (or"
                    + " =io.flambeau on the module path; a runnable jar's manifest can say Enable-Native-Access: ALL-UNNAMED)",
                    "", List.of(), e));
        } catch (RuntimeException | LinkageError e) {
            return failed(new CudaUnavailableException(Reason.INIT_FAILED, "the " + factory.name() + " CUDA binding failed: "
                    + e.getMessage(), "", List.of(), e));
        }
    }

    /** CUDA unavailable for the reason {@code e} gives. */
    public static CudaAvailability failed(CudaUnavailableException e) {
        return new CudaAvailability(null, 0, e);
    }

    /**
     * The availability of an already opened binding (used by tests with a simulated or loopback
     * driver), behind the checked seam.
     */
    public static CudaAvailability of(CudaApi binding) {
        CudaApi api = CheckedCudaApi.of(binding);
        try {
            int n = api.deviceCount();
            if (n > 0) return new CudaAvailability(api, n, null);
            return failed(new CudaUnavailableException(Reason.NO_DEVICE, "NVIDIA driver found but it reports no CUDA device",
                    "cuDeviceGetCount returned 0", List.of(), null));
        } catch (CudaException e) {
            return failed(new CudaUnavailableException(Reason.INIT_FAILED,
                    "the CUDA driver failed to list devices (" + e.errorName() + ")", e.getMessage(), List.of(), e));
        }
    }

    /** Whether at least one device can be used. */
    public boolean usable() { return failure == null; }

    /** The opened binding, behind the checked seam, when {@link #usable()}, else null. */
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
