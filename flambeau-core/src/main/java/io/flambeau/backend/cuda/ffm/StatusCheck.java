package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CublasException;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.CudaStatus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The one place a native status becomes an exception. Every driver call of the binding passes its
 * {@code CUresult} through {@link #check}, every cuBLAS call its {@code cublasStatus_t} through
 * {@link #checkBlas}, so each failure names the C function, the numeric code and its text.
 *
 * <p>Driver errors are named by the driver itself ({@code cuGetErrorName}/{@code cuGetErrorString}),
 * which knows codes newer than Flambeau; {@link CudaStatus}'s table is the fallback when the driver
 * does not know a code or cannot answer (it is being torn down, say). A call this driver cannot
 * make at all (CUDA graphs on a driver without them) is refused with {@link #refuse}, so it reads
 * like the driver's own errors; bad arguments are refused above the binding, by the checked seam.
 */
final class StatusCheck {
    private StatusCheck() {}

    /** Throws a {@link CudaException} naming {@code call} unless {@code status} is {@code CUDA_SUCCESS}. */
    static void check(int status, String call) {
        if (status != CudaStatus.SUCCESS) throw error(status, call, null, null);
    }

    /** Like {@link #check}, with what the caller knows about this particular call (kernel, sizes). */
    static void check(int status, String call, String detail) {
        if (status != CudaStatus.SUCCESS) throw error(status, call, detail, null);
    }

    /** The exception for a failed driver call, with the driver's name and description of the code. */
    static CudaException error(int status, String call, String detail, String jitLog) {
        return new CudaException(call, status, name(status), string(status), detail, jitLog);
    }

    /** A call this driver cannot make (a missing optional symbol), refused before any native call. */
    static CudaException refuse(int status, String call, String detail) {
        return new CudaException(call, status, CudaStatus.name(status), CudaStatus.string(status), detail, null);
    }

    /** Throws a {@link CublasException} naming {@code call} unless {@code status} is success. */
    static void checkBlas(int status, String call, String detail) {
        if (status != 0) throw new CublasException(call, status, detail);
    }

    /** {@code cuGetErrorName}, else the table's name. */
    static String name(int code) {
        String s = ask(code, true);
        return s != null ? s : CudaStatus.name(code);
    }

    /** {@code cuGetErrorString}, else the table's description. */
    static String string(int code) {
        String s = ask(code, false);
        return s != null ? s : CudaStatus.string(code);
    }

    private static String ask(int code, boolean name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(CudaDriver_h.C_POINTER);
            int r = name ? CudaDriver_h.cuGetErrorName(code, out) : CudaDriver_h.cuGetErrorString(code, out);
            if (r != CudaStatus.SUCCESS) return null;
            MemorySegment text = out.get(CudaDriver_h.C_POINTER, 0);
            return text.equals(MemorySegment.NULL) ? null : text.getString(0);
        } catch (RuntimeException | LinkageError e) {
            return null; // driver unavailable or failing: the table answers
        }
    }
}
