package io.flambeau.distributed.nccl;

import io.flambeau.core.DistributedException;

import java.lang.foreign.MemorySegment;

/**
 * The one place an {@code ncclResult_t} becomes an exception: the NCCL function, the code and
 * {@code ncclGetErrorString}'s text.
 */
final class NcclStatus {
    static final int NCCL_SUCCESS = 0;

    private NcclStatus() {}

    static void check(int code, String call, String detail) {
        if (code != NCCL_SUCCESS) throw new DistributedException(call, code, errorString(code), detail);
    }

    static String errorString(int code) {
        try {
            MemorySegment s = Nccl_h.ncclGetErrorString(code);
            return s.equals(MemorySegment.NULL) ? "unknown NCCL error" : s.reinterpret(1024).getString(0);
        } catch (RuntimeException | LinkageError e) {
            return "unknown NCCL error";
        }
    }
}
