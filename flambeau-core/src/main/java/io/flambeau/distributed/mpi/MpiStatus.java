package io.flambeau.distributed.mpi;

import io.flambeau.core.DistributedException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The one place an MPI status becomes an exception: every call of the binding passes its return
 * code through {@link #check}, which names the C function, the code and {@code MPI_Error_string}'s
 * text. Communicators are switched to {@code MPI_ERRORS_RETURN} at creation, so errors come back
 * here instead of aborting the process.
 */
final class MpiStatus {
    static final int MPI_SUCCESS = 0;
    /** MPI_MAX_ERROR_STRING is 256 in Open MPI, 512 in MPICH 4.0: room for either. */
    private static final int MAX_ERROR_STRING = 1024;

    private MpiStatus() {}

    static void check(int code, String call) {
        if (code != MPI_SUCCESS) throw new DistributedException(call, code, errorString(code), null);
    }

    static void check(int code, String call, String detail) {
        if (code != MPI_SUCCESS) throw new DistributedException(call, code, errorString(code), detail);
    }

    /**
     * The error class's name and {@code MPI_Error_string}'s text ("MPI_ERR_ROOT: invalid root"), or a
     * placeholder when the library cannot answer. Open MPI's text starts with the class's name
     * already, MPICH's does not ("Invalid root, error stack: ...", on several lines).
     */
    static String errorString(int code) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocate(MAX_ERROR_STRING);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            if (Mpi_h.MPI_Error_string(code, text, length) != MPI_SUCCESS) return "unknown MPI error";
            int n = Math.max(0, Math.min(length.get(ValueLayout.JAVA_INT, 0), MAX_ERROR_STRING - 1));
            String s = new String(text.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.UTF_8);
            if (s.indexOf('\0') >= 0) s = s.substring(0, s.indexOf('\0'));
            MemorySegment errorClass = arena.allocate(ValueLayout.JAVA_INT);
            if (Mpi_h.MPI_Error_class(code, errorClass) != MPI_SUCCESS) return s;
            String name = MpiLibrary.get().handles().errorClassName(errorClass.get(ValueLayout.JAVA_INT, 0));
            return s.startsWith(name) ? s : name + ": " + s;
        } catch (RuntimeException | LinkageError e) {
            return "unknown MPI error";
        }
    }
}
