package io.flambeau.distributed.mpi;

import io.flambeau.core.DType;

import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * MPICH's handles: int constants ({@code MPI_Comm}, {@code MPI_Group}, {@code MPI_Datatype},
 * {@code MPI_Op}, {@code MPI_Errhandler} and {@code MPI_Request} are all {@code int}), as in MPICH
 * 4.0.2's mpi.h (stable since MPICH 3; the same values in Intel MPI and MVAPICH, which derive from
 * it). {@code MPI_STATUS_IGNORE} is {@code (MPI_Status *) 1}, {@code MPI_IN_PLACE}
 * {@code (void *) -1}; the binding never reads an {@code MPI_Status} (five ints in MPICH, six in
 * Open MPI). MpiHandleTablesTest compiles a program against the installed MPICH mpi.h and compares
 * every value here with the header's.
 */
final class MpichHandles implements MpiHandles {
    /** MPICH 4.0.2's mpi.h values of the error classes. */
    private static final Map<Integer, String> ERROR_CLASSES = Map.ofEntries(
            Map.entry(1, "MPI_ERR_BUFFER"), Map.entry(2, "MPI_ERR_COUNT"), Map.entry(3, "MPI_ERR_TYPE"),
            Map.entry(4, "MPI_ERR_TAG"), Map.entry(5, "MPI_ERR_COMM"), Map.entry(6, "MPI_ERR_RANK"),
            Map.entry(7, "MPI_ERR_ROOT"), Map.entry(8, "MPI_ERR_GROUP"), Map.entry(9, "MPI_ERR_OP"),
            Map.entry(12, "MPI_ERR_ARG"), Map.entry(13, "MPI_ERR_UNKNOWN"), Map.entry(14, "MPI_ERR_TRUNCATE"),
            Map.entry(15, "MPI_ERR_OTHER"), Map.entry(16, "MPI_ERR_INTERN"), Map.entry(17, "MPI_ERR_IN_STATUS"),
            Map.entry(18, "MPI_ERR_PENDING"), Map.entry(19, "MPI_ERR_REQUEST"), Map.entry(34, "MPI_ERR_NO_MEM"));

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

    @Override
    public Map<Integer, String> errorClasses() { return ERROR_CLASSES; }
}
