/**
 * Command-line tools around the library: {@link io.flambeau.tools.Doctor} reports what Flambeau
 * finds on a machine (JDK, CUDA driver, devices, cuBLAS) and checks that kernels and GEMMs give the
 * CPU backend's results. Tools may reach the CUDA backend's packages directly to diagnose them.
 */
package io.flambeau.tools;
