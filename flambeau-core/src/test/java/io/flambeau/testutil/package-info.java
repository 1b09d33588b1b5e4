/**
 * Readers for the vendored golden files (a strict JSON parser, golden tensors, line-by-line loading), and
 * {@link io.flambeau.testutil.OnDevice} for running part of a test with another default device.
 */
package io.flambeau.testutil;
