package io.flambeau.distributed.mpi;

import io.flambeau.core.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;

/**
 * Open MPI's handles: {@code MPI_COMM_WORLD} is {@code &ompi_mpi_comm_world}, {@code MPI_FLOAT}
 * {@code &ompi_mpi_float}, {@code MPI_SUM} {@code &ompi_mpi_op_sum} (mpi.h's
 * {@code OMPI_PREDEFINED_GLOBAL}); {@code MPI_STATUS_IGNORE} is NULL, {@code MPI_IN_PLACE} {@code (void *) 1}.
 */
final class OpenMpiHandles implements MpiHandles {
    private final long commWorld, commNull, errorsReturn;
    private final long float32, float64, int64, bool;
    private final long sum, prod, max, min, land, lor;

    OpenMpiHandles(SymbolLookup lookup) {
        commWorld = address(lookup, "ompi_mpi_comm_world");
        commNull = address(lookup, "ompi_mpi_comm_null");
        errorsReturn = address(lookup, "ompi_mpi_errors_return");
        float32 = address(lookup, "ompi_mpi_float");
        float64 = address(lookup, "ompi_mpi_double");
        int64 = address(lookup, "ompi_mpi_int64_t");
        bool = address(lookup, "ompi_mpi_c_bool");
        sum = address(lookup, "ompi_mpi_op_sum");
        prod = address(lookup, "ompi_mpi_op_prod");
        max = address(lookup, "ompi_mpi_op_max");
        min = address(lookup, "ompi_mpi_op_min");
        land = address(lookup, "ompi_mpi_op_land");
        lor = address(lookup, "ompi_mpi_op_lor");
    }

    private static long address(SymbolLookup lookup, String global) {
        return lookup.find(global).map(MemorySegment::address).orElseThrow(() -> new io.flambeau.core.DistributedException(
                "Open MPI's library lacks the predefined handle " + global + ": Flambeau supports Open MPI 4.x and 5.x"));
    }

    @Override public String implementation() { return "Open MPI"; }
    @Override public ValueLayout layout() { return ValueLayout.ADDRESS; }
    @Override public long commWorld() { return commWorld; }
    @Override public long commNull() { return commNull; }
    @Override public long errorsReturn() { return errorsReturn; }
    @Override public long inPlace() { return 1; }
    @Override public long statusIgnore() { return 0; }

    @Override
    public long datatype(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> float32;
            case FLOAT64 -> float64;
            case INT64 -> int64;
            case BOOL -> bool;
        };
    }

    @Override
    public long op(MpiOp op) {
        return switch (op) {
            case SUM -> sum;
            case PROD -> prod;
            case MAX -> max;
            case MIN -> min;
            case LAND -> land;
            case LOR -> lor;
        };
    }
}
