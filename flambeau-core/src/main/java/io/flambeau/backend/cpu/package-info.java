/**
 * The pure-Java backend: complete for every op and dtype, vectorised with the Vector API and multi-threaded; the reference the CUDA backend is tested against.
 */
package io.flambeau.backend.cpu;
