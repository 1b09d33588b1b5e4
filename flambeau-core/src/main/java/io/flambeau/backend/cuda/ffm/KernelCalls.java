package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.flambeau.backend.cuda.ffm.CudaDriver_h.*;

/**
 * The module and launch calls of {@link FfmCudaApi}: JIT-loading PTX with the compiler's logs,
 * looking kernels up, and launching them with {@code kernelParams} built from {@link KernelArgs}.
 */
final class KernelCalls {
    /** {@code CUjit_option} values (cuda.h): log buffers and their sizes in bytes. */
    private static final int CU_JIT_INFO_LOG_BUFFER = 3;
    private static final int CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4;
    private static final int CU_JIT_ERROR_LOG_BUFFER = 5;
    private static final int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
    private static final int LOG_BYTES = 16 * 1024;

    /** Kernel name of each function handle, for the messages of failed launches. */
    private final Map<Long, String> names = new ConcurrentHashMap<>();

    /**
     * {@code cuModuleLoadDataEx} with error and info log buffers. On failure the exception carries
     * the error log ({@code jitLog}) and, as its detail, the PTX numbered as the log counts lines.
     */
    long load(String ptx) {
        String call = "cuModuleLoadDataEx";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errorLog = arena.allocate(LOG_BYTES);
            MemorySegment infoLog = arena.allocate(LOG_BYTES);
            MemorySegment options = arena.allocateFrom(C_INT, CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                    CU_JIT_INFO_LOG_BUFFER, CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES);
            MemorySegment values = arena.allocate(ValueLayout.ADDRESS, 4);
            // sizes travel in the pointer-sized option slots as integers, as the driver API defines
            values.setAtIndex(ValueLayout.ADDRESS, 0, errorLog);
            values.setAtIndex(ValueLayout.ADDRESS, 1, MemorySegment.ofAddress(LOG_BYTES));
            values.setAtIndex(ValueLayout.ADDRESS, 2, infoLog);
            values.setAtIndex(ValueLayout.ADDRESS, 3, MemorySegment.ofAddress(LOG_BYTES));
            MemorySegment out = arena.allocate(C_POINTER);
            int status = cuModuleLoadDataEx(out, arena.allocateFrom(ptx), 4, options, values);
            if (status != CudaStatus.SUCCESS) {
                String log = text(errorLog);
                throw StatusCheck.error(status, call, JitLogs.numberedPtx(ptx, log), log.isEmpty() ? "(the JIT wrote no log)" : log);
            }
            return out.get(C_POINTER, 0).address();
        }
    }

    /** {@code cuModuleGetFunction}; the function handle is valid until its module is unloaded. */
    long function(long module, String name) {
        String call = "cuModuleGetFunction";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            StatusCheck.check(cuModuleGetFunction(out, MemorySegment.ofAddress(module), arena.allocateFrom(name)), call,
                    "kernel '" + name + "'");
            long f = out.get(C_POINTER, 0).address();
            names.put(f, name);
            return f;
        }
    }

    /** {@code cuModuleUnload}; the module's function handles die with it. */
    void unload(long module) {
        StatusCheck.check(cuModuleUnload(MemorySegment.ofAddress(module)), "cuModuleUnload");
    }

    /** {@code cuLaunchKernel(f, grid, block, sharedBytes, stream, kernelParams, NULL)}. */
    void launch(long function, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, long stream, KernelArgs args) {
        String call = "cuLaunchKernel";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = KernelParams.marshal(args, arena);
            int status = cuLaunchKernel(MemorySegment.ofAddress(function), gx, gy, gz, bx, by, bz, sharedBytes,
                    MemorySegment.ofAddress(stream), params, MemorySegment.NULL);
            if (status != CudaStatus.SUCCESS) {
                throw StatusCheck.error(status, call, "kernel '" + names.getOrDefault(function, "?") + "' grid (" + Integer.toUnsignedString(gx) + ", "
                        + Integer.toUnsignedString(gy) + ", " + Integer.toUnsignedString(gz) + ") block (" + Integer.toUnsignedString(bx)
                        + ", " + Integer.toUnsignedString(by) + ", " + Integer.toUnsignedString(bz) + ") = "
                        + Integer.toUnsignedLong(bx) * Integer.toUnsignedLong(by) * Integer.toUnsignedLong(bz)
                        + " threads per block, " + Integer.toUnsignedString(sharedBytes) + " bytes of dynamic shared memory, args "
                        + args, null);
            }
        }
    }

    /** A NUL-terminated log buffer as text (forcing a terminator at its end first). */
    private static String text(MemorySegment log) {
        log.set(ValueLayout.JAVA_BYTE, log.byteSize() - 1, (byte) 0);
        return log.getString(0).strip();
    }
}
