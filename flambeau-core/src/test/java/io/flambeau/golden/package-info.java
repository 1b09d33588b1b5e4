/**
 * Suites replaying the cases recorded from PyTorch (values, gradients, errors, printing); each backend runs the same suite through a device-choosing subclass.
 */
package io.flambeau.golden;
