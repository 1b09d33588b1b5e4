/**
 * The backend SPI: storages, strided views and the small set of primitive kernels every device implements; backends are found through ServiceLoader.
 */
package io.flambeau.backend;
