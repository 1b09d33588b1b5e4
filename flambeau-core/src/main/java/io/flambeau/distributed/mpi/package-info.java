/**
 * The MPI binding (Panama FFM) behind {@code io.flambeau.distributed}: the library found and opened
 * globally ({@link io.flambeau.distributed.mpi.MpiLibrary}), one handle table per implementation
 * (Open MPI, MPICH), the downcalls of {@code native/mpi.h}, non-blocking collectives on off-heap
 * buffers, every status through one check. The only place that touches MPI.
 */
package io.flambeau.distributed.mpi;
