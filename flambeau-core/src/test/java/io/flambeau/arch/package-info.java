/**
 * Architecture rules checked as tests: the layering of ARCHITECTURE.md and where native code may be reached.
 */
package io.flambeau.arch;
