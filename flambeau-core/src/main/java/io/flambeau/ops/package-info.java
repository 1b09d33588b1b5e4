/**
 * The op vocabulary on raw tensors (no autograd): shape and broadcast inference, dtype promotion, views, indexing, creation, and dispatch to the backend of the tensors' device.
 */
package io.flambeau.ops;
