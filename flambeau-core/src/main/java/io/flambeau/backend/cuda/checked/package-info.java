/**
 * The checked seam: {@link io.flambeau.backend.cuda.checked.CheckedCudaApi}, the one
 * {@link io.flambeau.backend.cuda.api.CudaApi} decorator every binding (Panama FFM, JCuda, the
 * simulated device) is used through. It validates device pointers, handles, host buffers and kernel
 * arguments against what it has seen pass, so a misuse is the same
 * {@link io.flambeau.backend.cuda.api.CudaMisuseException} whatever the binding, and the bindings
 * stay plain translations of the C API. It adds no driver call.
 */
package io.flambeau.backend.cuda.checked;
