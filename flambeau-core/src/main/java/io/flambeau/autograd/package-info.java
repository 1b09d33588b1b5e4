/**
 * Reverse-mode autograd over the ops layer: variables, graph recording, the backward engine, and the gradient rule of every op written beside its forward. Uses ops only.
 */
package io.flambeau.autograd;
