/**
 * Runnable course demos ({@code mvn -q compile exec:exec -Ddemo=NAME}): each one replays a section of
 * the introductory course with Flambeau, printing what PyTorch prints and writing figures as PNG files.
 * Uses only the public API, nn, optim and the plotting package.
 */
package io.flambeau.demo;
