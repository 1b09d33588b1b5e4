package io.flambeau.distributed.mpi;

import io.flambeau.core.DType;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * The predefined handles of one MPI implementation, as Java longs. Open MPI's handles are pointers
 * (the addresses of exported globals), MPICH's are int constants; {@link #layout()} is how a
 * handle is passed to and read back from the library, so the same binding serves both.
 */
public interface MpiHandles {
    /** "Open MPI" or "MPICH". */
    String implementation();

    /** The C layout of {@code MPI_Comm}, {@code MPI_Datatype}, {@code MPI_Op}, {@code MPI_Request}, ... */
    ValueLayout layout();

    long commWorld();

    long commNull();

    long errorsReturn();

    /** {@code MPI_IN_PLACE}, an address. */
    long inPlace();

    /** {@code MPI_STATUS_IGNORE}, an address. */
    long statusIgnore();

    /** The MPI datatype of a Flambeau dtype: float, double, int64_t, C bool (one byte). */
    long datatype(DType dtype);

    long op(MpiOp op);

    /**
     * The error classes Flambeau may meet, by value ({@code MPI_Error_class}'s answer), to their
     * names: the values differ between implementations (MPI_ERR_ROOT is 8 in Open MPI, 7 in MPICH).
     */
    Map<Integer, String> errorClasses();

    /** "MPI_ERR_ROOT" for the class value of MPI_ERR_ROOT, else "error class N". */
    default String errorClassName(int errorClass) {
        String name = errorClasses().get(errorClass);
        return name != null ? name : "error class " + errorClass;
    }

    /** Reads a handle written by the library into {@code out}. */
    default long read(MemorySegment out) {
        return layout() instanceof ValueLayout.OfInt i ? out.get(i, 0) : out.get(ValueLayout.ADDRESS, 0).address();
    }

    /** Bytes of one handle (for allocating out-parameters). */
    default MemoryLayout outLayout() { return layout(); }
}
