package io.flambeau.distributed.mpi;

import io.flambeau.core.DType;

import java.lang.foreign.ValueLayout;

/**
 * MPICH's handles: int constants, copied from MPICH 4.0's mpi.h (stable since MPICH 3; the same
 * values in Intel MPI and MVAPICH, which derive from it). {@code MPI_STATUS_IGNORE} is
 * {@code (MPI_Status *) 1}, {@code MPI_IN_PLACE} {@code (void *) -1}.
 */
final class MpichHandles implements MpiHandles {
    @Override public String implementation() { return "MPICH"; }
    @Override public ValueLayout layout() { return ValueLayout.JAVA_INT; }
    @Override public long commWorld() { return 0x44000000; }
    @Override public long commNull() { return 0x04000000; }
    @Override public long errorsReturn() { return 0x54000001; }
    @Override public long inPlace() { return -1; }
    @Override public long statusIgnore() { return 1; }

    @Override
    public long datatype(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> 0x4c00040a;
            case FLOAT64 -> 0x4c00080b;
            case INT64 -> 0x4c00083a;
            case BOOL -> 0x4c00013f;
        };
    }

    @Override
    public long op(MpiOp op) {
        return switch (op) {
            case MAX -> 0x58000001;
            case MIN -> 0x58000002;
            case SUM -> 0x58000003;
            case PROD -> 0x58000004;
            case LAND -> 0x58000005;
            case LOR -> 0x58000007;
        };
    }
}
