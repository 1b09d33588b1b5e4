package io.flambeau.backend;

/** Reductions along one dim or over all elements. ARGMAX/ARGMIN return the first extreme index. */
public enum ReduceOp {
    SUM, MEAN, MAX, MIN, ARGMAX, ARGMIN;

    public boolean isArg() { return this == ARGMAX || this == ARGMIN; }
}
