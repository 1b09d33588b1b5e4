/**
 * Backend conformance: randomly generated programs of tensor operations, run step by step on the
 * CPU and on the simulated {@code cuda:0}, every intermediate result, final value and gradient
 * compared. A failure prints the program as Java code that reproduces it.
 */
package io.flambeau.conformance;
