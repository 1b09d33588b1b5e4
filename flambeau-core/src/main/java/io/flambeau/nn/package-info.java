/**
 * Neural-network building blocks: {@link io.flambeau.nn.Module} (subclassed in the course's
 * standard form, members found by reflection), {@link io.flambeau.nn.Parameter},
 * {@link io.flambeau.nn.Linear}, the activations, {@link io.flambeau.nn.Sequential}, state dicts
 * and their file format ({@link io.flambeau.nn.StateDictFile}), and the functional forms and
 * losses of {@link io.flambeau.nn.F}. Uses only the public API.
 */
package io.flambeau.nn;
