/**
 * Public API: Tensor, Torch (factories, seeding, no-grad), Shape, Index, device selection. Uses autograd and ops; the layers below never see it.
 */
package io.flambeau;
