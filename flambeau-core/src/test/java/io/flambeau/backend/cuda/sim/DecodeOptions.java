package io.flambeau.backend.cuda.sim;

/**
 * Load-time strictness. {@code requireExplicitRounding}: refuse {@code add/sub/mul} on f32/f64
 * without {@code .rn} (or another rounding modifier), because ptxas may then contract a mul+add into
 * an fma and the GPU's result would differ from the simulator's (see PTX-NOTES).
 */
record DecodeOptions(boolean requireExplicitRounding) {
    static final DecodeOptions DEFAULT = new DecodeOptions(true);
}
