/**
 * The vocabulary every layer shares: dtypes, devices, typed exceptions, and PyTorch-identical tensor printing. Depends on nothing else in Flambeau.
 */
package io.flambeau.core;
