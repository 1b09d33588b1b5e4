/**
 * The course's code samples, section by section, as tests of what PyTorch prints.
 */
package io.flambeau.course;
