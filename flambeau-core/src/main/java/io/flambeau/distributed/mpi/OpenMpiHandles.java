package io.flambeau.distributed.mpi;

import io.flambeau.core.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * Open MPI's handles: {@code MPI_COMM_WORLD} is {@code &ompi_mpi_comm_world}, {@code MPI_FLOAT}
 * {@code &ompi_mpi_float}, {@code MPI_SUM} {@code &ompi_mpi_op_sum} (mpi.h's
 * {@code OMPI_PREDEFINED_GLOBAL}); {@code MPI_STATUS_IGNORE} is NULL, {@code MPI_IN_PLACE} {@code (void *) 1}.
 */
final class OpenMpiHandles implements MpiHandles {
    /** Open MPI 4.1.4's mpi.h values of the error classes (the same in 5.0; MpiHandleTablesTest compares). */
    static final Map<Integer, String> ERROR_CLASSES = Map.ofEntries(
            Map.entry(1, "MPI_ERR_BUFFER"), Map.entry(2, "MPI_ERR_COUNT"), Map.entry(3, "MPI_ERR_TYPE"),
            Map.entry(4, "MPI_ERR_TAG"), Map.entry(5, "MPI_ERR_COMM"), Map.entry(6, "MPI_ERR_RANK"),
            Map.entry(7, "MPI_ERR_REQUEST"), Map.entry(8, "MPI_ERR_ROOT"), Map.entry(9, "MPI_ERR_GROUP"),
            Map.entry(10, "MPI_ERR_OP"), Map.entry(13, "MPI_ERR_ARG"), Map.entry(14, "MPI_ERR_UNKNOWN"),
            Map.entry(15, "MPI_ERR_TRUNCATE"), Map.entry(16, "MPI_ERR_OTHER"), Map.entry(17, "MPI_ERR_INTERN"),
            Map.entry(18, "MPI_ERR_IN_STATUS"), Map.entry(19, "MPI_ERR_PENDING"), Map.entry(39, "MPI_ERR_NO_MEM"));

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

    @Override
    public Map<Integer, String> errorClasses() { return ERROR_CLASSES; }
}
