/**
 * The Panama FFM binding of {@link io.flambeau.backend.cuda.api.CudaApi}: the only package that
 * touches {@code java.lang.foreign} for CUDA.
 *
 * <p>{@link io.flambeau.backend.cuda.ffm.CudaDriver_h} and {@link io.flambeau.backend.cuda.ffm.Cublas_h}
 * are the raw bindings of {@code native/headers.h} in jextract's layout;
 * {@link io.flambeau.backend.cuda.ffm.CudaLibraries} finds the libraries;
 * {@link io.flambeau.backend.cuda.ffm.FfmCudaApi} is the typed API on top, a plain translation of each
 * call that checks no argument: {@link io.flambeau.backend.cuda.ffm.FfmCudaApiFactory} (the
 * {@link io.flambeau.backend.cuda.api.CudaApiFactory} service) hands it out only behind
 * {@link io.flambeau.backend.cuda.checked.CheckedCudaApi}.
 */
package io.flambeau.backend.cuda.ffm;
