/**
 * Pictures for the course demos: line plots, decision-region maps, PNG output and a live window. Takes plain arrays; knows nothing of tensors.
 */
package io.flambeau.demo.plot;
