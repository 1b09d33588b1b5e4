/**
 * The JCuda binding: {@link io.flambeau.backend.cuda.api.CudaApi} implemented with JCuda's
 * {@code JCudaDriver} and {@code JCublas2}, the JNI alternative to the default Panama FFM binding.
 *
 * <p>The only package that imports {@code jcuda.*}, in the one module (artifact {@code flambeau-jcuda})
 * with JCuda on its class path: the library finds it through ServiceLoader ({@code CudaApiFactory})
 * when that jar is on the class path, and never names it. Selected with {@code -Dflambeau.cuda.binding=jcuda};
 * JCuda 12.0.0 needs an NVIDIA driver for CUDA 12.0 or newer ({@code libcuda.so.1}) and, for matrix
 * products through cuBLAS, {@code libcublas.so.12}. {@link io.flambeau.backend.cuda.jcuda.JCudaApi#open()}
 * names whichever of those is missing.
 */
package io.flambeau.backend.cuda.jcuda;
