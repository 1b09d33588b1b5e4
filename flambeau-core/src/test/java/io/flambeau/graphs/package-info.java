/**
 * CUDA graphs through the public API (capture, replay, errors, memory) on the simulated device,
 * with every driver call counted.
 */
package io.flambeau.graphs;
