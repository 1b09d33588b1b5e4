package io.flambeau.backend.cuda;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaUnavailableException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * How the CUDA backend finds a binding to the real driver without naming one: implementations
 * (the Panama FFM binding, the JCuda binding) register under
 * {@code META-INF/services/io.flambeau.backend.cuda.CudaApiFactory}, and the system property
 * {@code flambeau.cuda.binding} picks one by {@link #name()} (default {@code ffm}).
 */
public interface CudaApiFactory {
    /** The property that chooses a binding by name. */
    String BINDING_PROPERTY = "flambeau.cuda.binding";
    /** The binding used when the property is not set. */
    String DEFAULT_BINDING = "ffm";

    /** Short name for {@link #BINDING_PROPERTY}: {@code ffm}, {@code jcuda}. */
    String name();

    /**
     * Loads the driver (and cuBLAS where present), checks that the driver is new enough for
     * Flambeau's PTX and calls {@code cuInit}: the result is ready for {@link CudaApi#deviceCount()}.
     * Each call may return the same instance; it lives as long as the JVM.
     *
     * @throws CudaUnavailableException saying why CUDA cannot be used here and what to do
     */
    CudaApi open();

    /** The binding {@link #BINDING_PROPERTY} names, found through {@link ServiceLoader}. */
    static CudaApiFactory find() {
        String wanted = System.getProperty(BINDING_PROPERTY, DEFAULT_BINDING).trim().toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (CudaApiFactory f : ServiceLoader.load(CudaApiFactory.class, CudaApiFactory.class.getClassLoader())) {
            if (f.name().equals(wanted)) return f;
            names.add(f.name());
        }
        throw new CudaUnavailableException(CudaUnavailableException.Reason.NO_DRIVER,
                "no CUDA binding named '" + wanted + "'",
                BINDING_PROPERTY + "=" + wanted + " but the class path holds " + (names.isEmpty() ? "none" : names)
                        + "; use one of those names or leave the property unset", List.of(), null);
    }
}
