package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.KernelArgs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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

    private final FfmCudaApi api;

    KernelCalls(FfmCudaApi api) {
        this.api = api;
    }

    /**
     * {@code cuModuleLoadDataEx} with error and info log buffers. On failure the exception carries
     * the error log ({@code jitLog}) and, as its detail, the PTX numbered as the log counts lines.
     */
    long load(String ptx) {
        String call = "cuModuleLoadDataEx";
        api.ensureOpen(call);
        if (ptx == null) throw StatusCheck.refuse(CudaStatus.INVALID_VALUE, call, "the PTX text is null");
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
            long module = out.get(C_POINTER, 0).address();
            api.handles.add(new NativeHandle(NativeHandle.Kind.MODULE, module, api.contexts.current(), 0, null,
                    "cuModuleUnload", () -> cuModuleUnload(MemorySegment.ofAddress(module))));
            return module;
        }
    }

    /** {@code cuModuleGetFunction}; the function handle is valid until its module is unloaded. */
    long function(long module, String name) {
        String call = "cuModuleGetFunction";
        api.ensureOpen(call);
        if (name == null) throw StatusCheck.refuse(CudaStatus.INVALID_VALUE, call, "the kernel name is null");
        NativeHandle owner = api.handles.require(NativeHandle.Kind.MODULE, module, call);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            StatusCheck.check(cuModuleGetFunction(out, MemorySegment.ofAddress(module), arena.allocateFrom(name)), call,
                    "kernel '" + name + "'");
            long f = out.get(C_POINTER, 0).address();
            api.handles.add(new NativeHandle(NativeHandle.Kind.FUNCTION, f, owner.context, module, name, null, null));
            return f;
        }
    }

    /** {@code cuModuleUnload}; the module's function handles die with it. */
    void unload(long module) {
        String call = "cuModuleUnload";
        api.ensureOpen(call);
        NativeHandle h = api.handles.remove(NativeHandle.Kind.MODULE, module, call);
        api.handles.removeChildren(module);
        h.close();
    }

    /**
     * {@code cuLaunchKernel(f, grid, block, sharedBytes, stream, kernelParams, NULL)}. Pointer
     * arguments must be null or point into live memory of the current device (one past the end is
     * allowed: an empty view's data pointer); anything else is refused before the launch.
     */
    void launch(long function, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, long stream, KernelArgs args) {
        String call = "cuLaunchKernel";
        api.ensureOpen(call);
        NativeHandle f = api.handles.require(NativeHandle.Kind.FUNCTION, function, call);
        api.handles.requireStream(stream, call);
        if (args == null) throw StatusCheck.refuse(CudaStatus.INVALID_VALUE, call, "kernel '" + f.name + "': the arguments are null");
        for (int i = 0; i < args.count(); i++) {
            if (args.kind(i) == KernelArgs.Kind.PTR) checkPointerArgument(f, i, args.scalar(i));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = KernelParams.marshal(args, arena);
            int status = cuLaunchKernel(MemorySegment.ofAddress(function), gx, gy, gz, bx, by, bz, sharedBytes,
                    MemorySegment.ofAddress(stream), params, MemorySegment.NULL);
            if (status != CudaStatus.SUCCESS) {
                throw StatusCheck.error(status, call, "kernel '" + f.name + "' grid (" + Integer.toUnsignedString(gx) + ", "
                        + Integer.toUnsignedString(gy) + ", " + Integer.toUnsignedString(gz) + ") block (" + Integer.toUnsignedString(bx)
                        + ", " + Integer.toUnsignedString(by) + ", " + Integer.toUnsignedString(bz) + ") = "
                        + Integer.toUnsignedLong(bx) * Integer.toUnsignedLong(by) * Integer.toUnsignedLong(bz)
                        + " threads per block, " + Integer.toUnsignedString(sharedBytes) + " bytes of dynamic shared memory, args "
                        + args, null);
            }
        }
    }

    private void checkPointerArgument(NativeHandle f, int index, long ptr) {
        if (ptr == 0) return;
        DeviceAllocations.Allocation a = api.allocations.find(ptr);
        if (a == null) a = api.allocations.find(ptr - 1); // one past the end of a block
        if (a == null || ptr - a.base() > a.size()) {
            throw StatusCheck.refuse(CudaStatus.INVALID_VALUE, "cuLaunchKernel", "kernel '" + f.name + "' argument " + index
                    + " (ptr): " + api.allocations.describe(ptr));
        }
        long current = api.contexts.current();
        if (a.context() != 0 && current != 0 && a.context() != current) {
            throw StatusCheck.refuse(CudaStatus.INVALID_VALUE, "cuLaunchKernel", "kernel '" + f.name + "' argument " + index
                    + " (ptr 0x" + Long.toHexString(ptr) + ") is memory of " + api.contexts.describe(a.context())
                    + " but the launch runs on " + api.contexts.describe(current) + "; move the tensor with to(device)");
        }
    }

    /** A NUL-terminated log buffer as text (forcing a terminator at its end first). */
    private static String text(MemorySegment log) {
        log.set(ValueLayout.JAVA_BYTE, log.byteSize() - 1, (byte) 0);
        return log.getString(0).strip();
    }
}
