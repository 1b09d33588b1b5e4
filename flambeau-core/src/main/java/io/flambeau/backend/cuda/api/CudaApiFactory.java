package io.flambeau.backend.cuda.api;

/**
 * How a CUDA binding (Panama FFM, JCuda, ...) makes itself known: found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.flambeau.backend.cuda.api.CudaApiFactory}),
 * so the CUDA backend never names a binding. The system property {@code flambeau.cuda.binding=NAME}
 * (or the environment variable {@code FLAMBEAU_CUDA_BINDING}) picks one; otherwise they are tried by
 * {@link #priority()} until one loads, leaving out those that run {@link #onlyWhenChosen()}.
 */
public interface CudaApiFactory {
    /** Short name used by {@code flambeau.cuda.binding}, e.g. {@code ffm} or {@code jcuda}. */
    String name();

    /** Lower is tried first when no binding is chosen explicitly. */
    default int priority() { return 100; }

    /**
     * Whether this binding is used only when chosen by name, never as a fallback when no binding is
     * chosen (JCuda: the FFM binding is the default, and trying JCuda on a machine without CUDA would
     * only extract and fail to load its JNI libraries).
     */
    default boolean onlyWhenChosen() { return false; }

    /**
     * Loads the native libraries and returns the API. Throws (any exception, or a {@link LinkageError})
     * with a message saying why when this binding cannot work here, e.g. "libcuda.so.1 not found".
     */
    CudaApi create();
}
