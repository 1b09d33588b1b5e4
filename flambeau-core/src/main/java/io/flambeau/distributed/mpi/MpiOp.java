package io.flambeau.distributed.mpi;

/** The predefined MPI reductions Flambeau uses. */
public enum MpiOp {
    SUM, PROD, MAX, MIN, LAND, LOR
}
