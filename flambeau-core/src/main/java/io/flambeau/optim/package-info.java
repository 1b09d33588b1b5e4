/**
 * Optimizers (SGD, Adagrad, RMSprop, Adam, AdamW) with PyTorch 1.13's update rules, parameter
 * groups and per-parameter state. Built only on the public tensor API: updates are in-place tensor
 * ops under {@code Torch.noGrad()}, so they run wherever the parameters live.
 */
package io.flambeau.optim;
