/**
 * The seam between Flambeau's CUDA backend and CUDA itself.
 *
 * <p>{@link io.flambeau.backend.cuda.api.CudaApi} mirrors the subset of the CUDA driver API and
 * cuBLAS that the backend uses, with handles as {@code long} and host memory as
 * {@link java.nio.ByteBuffer}. Two bindings implement it against the real libraries (Panama FFM and
 * JCuda); a simulated device implements it in the test tree so that the whole backend runs without a
 * GPU. This package therefore imports neither {@code java.lang.foreign} nor {@code jcuda.*}.
 *
 * <p>Every native status goes through {@link io.flambeau.backend.cuda.api.CudaStatus#check} or
 * {@link io.flambeau.backend.cuda.api.CublasStatus#check}, which throw a
 * {@link io.flambeau.backend.cuda.api.CudaException} naming the call, the code and the driver's text.
 */
package io.flambeau.backend.cuda.api;
