/**
 * Readers for the vendored golden files: a strict JSON parser, golden tensors and line-by-line loading.
 */
package io.flambeau.testutil;
