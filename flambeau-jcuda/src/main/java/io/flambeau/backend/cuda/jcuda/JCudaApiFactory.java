package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaApiFactory;
import io.flambeau.backend.cuda.api.CudaUnavailableException;

import java.util.List;

/**
 * The JCuda binding as a {@link CudaApiFactory} service, used only when chosen:
 * {@code -Dflambeau.cuda.binding=jcuda} or {@code FLAMBEAU_CUDA_BINDING=jcuda} (FFM is the default).
 * Opens JCuda once per JVM and keeps the binding; a failure is thrown again as first reported
 * ({@link JCudaLibraries} keeps the ones that cannot be retried, such as a JNI library that failed to
 * load), never as a bare {@code NoClassDefFoundError}.
 *
 * <p>Names no JCuda class outside {@link #create()}, so that listing bindings through the
 * {@code ServiceLoader} works when JCuda's jars are absent.
 */
public final class JCudaApiFactory implements CudaApiFactory {
    public static final String NAME = "jcuda";

    private static final Object LOCK = new Object();
    private static CudaApi opened;

    @Override
    public String name() { return NAME; }

    /** After FFM, were it ever tried without being chosen. */
    @Override
    public int priority() { return 50; }

    @Override
    public boolean onlyWhenChosen() { return true; }

    @Override
    public CudaApi create() {
        synchronized (LOCK) {
            if (opened != null) return opened;
            try {
                opened = JCudaApi.open();
                return opened;
            } catch (NoClassDefFoundError e) {
                throw new JCudaUnavailableException(CudaUnavailableException.Reason.INIT_FAILED,
                        "JCuda is not on the class path", "no class " + e.getMessage(),
                        "org.jcuda:jcuda:" + JCudaLibraries.JCUDA_VERSION + " and org.jcuda:jcublas:"
                                + JCudaLibraries.JCUDA_VERSION,
                        "or use Flambeau's default FFM binding (-Dflambeau.cuda.binding=ffm)", List.of(), e);
            }
        }
    }
}
