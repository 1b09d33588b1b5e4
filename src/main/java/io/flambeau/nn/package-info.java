/**
 * Neural-network building blocks (Module, Linear, activations, Sequential) and functional losses. Uses only the public API.
 */
package io.flambeau.nn;
