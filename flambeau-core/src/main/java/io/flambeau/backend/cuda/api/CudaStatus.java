package io.flambeau.backend.cuda.api;

import java.util.HashMap;
import java.util.Map;

/**
 * The driver's {@code CUresult} codes that Flambeau meets, with the names {@code cuGetErrorName} and
 * the descriptions {@code cuGetErrorString} give for them, and the one {@link #check} every binding
 * passes each driver status through.
 */
public final class CudaStatus {
    public static final int SUCCESS = 0;
    public static final int INVALID_VALUE = 1;
    public static final int OUT_OF_MEMORY = 2;
    public static final int NOT_INITIALIZED = 3;
    public static final int DEINITIALIZED = 4;
    public static final int STUB_LIBRARY = 34;
    public static final int NO_DEVICE = 100;
    public static final int INVALID_DEVICE = 101;
    public static final int INVALID_IMAGE = 200;
    public static final int INVALID_CONTEXT = 201;
    public static final int NO_BINARY_FOR_GPU = 209;
    public static final int INVALID_PTX = 218;
    public static final int JIT_COMPILER_NOT_FOUND = 221;
    public static final int UNSUPPORTED_PTX_VERSION = 222;
    public static final int INVALID_SOURCE = 300;
    public static final int FILE_NOT_FOUND = 301;
    public static final int INVALID_HANDLE = 400;
    public static final int NOT_FOUND = 500;
    public static final int NOT_READY = 600;
    public static final int ILLEGAL_ADDRESS = 700;
    public static final int LAUNCH_OUT_OF_RESOURCES = 701;
    public static final int LAUNCH_TIMEOUT = 702;
    public static final int CONTEXT_IS_DESTROYED = 709;
    public static final int ASSERT = 710;
    public static final int HARDWARE_STACK_ERROR = 714;
    public static final int ILLEGAL_INSTRUCTION = 715;
    public static final int MISALIGNED_ADDRESS = 716;
    public static final int INVALID_ADDRESS_SPACE = 717;
    public static final int INVALID_PC = 718;
    public static final int LAUNCH_FAILED = 719;
    public static final int NOT_SUPPORTED = 801;
    public static final int STREAM_CAPTURE_UNSUPPORTED = 900;
    public static final int STREAM_CAPTURE_INVALIDATED = 901;
    public static final int STREAM_CAPTURE_UNMATCHED = 903;
    public static final int STREAM_CAPTURE_UNJOINED = 904;
    public static final int STREAM_CAPTURE_IMPLICIT = 906;
    public static final int UNKNOWN = 999;

    private static final Map<Integer, String[]> TABLE = new HashMap<>();

    static {
        add(SUCCESS, "CUDA_SUCCESS", "no error");
        add(INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE", "invalid argument");
        add(OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory");
        add(NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED", "initialization error");
        add(DEINITIALIZED, "CUDA_ERROR_DEINITIALIZED", "driver shutting down");
        add(STUB_LIBRARY, "CUDA_ERROR_STUB_LIBRARY", "CUDA driver is a stub library");
        add(NO_DEVICE, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected");
        add(INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal");
        add(INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid");
        add(INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context");
        add(NO_BINARY_FOR_GPU, "CUDA_ERROR_NO_BINARY_FOR_GPU",
                "no kernel image is available for execution on the device");
        add(INVALID_PTX, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed");
        add(JIT_COMPILER_NOT_FOUND, "CUDA_ERROR_JIT_COMPILER_NOT_FOUND",
                "PTX JIT compiler library not found");
        add(UNSUPPORTED_PTX_VERSION, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION",
                "the provided PTX was compiled with an unsupported toolchain.");
        add(INVALID_SOURCE, "CUDA_ERROR_INVALID_SOURCE", "device kernel image is invalid");
        add(FILE_NOT_FOUND, "CUDA_ERROR_FILE_NOT_FOUND", "file not found");
        add(INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle");
        add(NOT_FOUND, "CUDA_ERROR_NOT_FOUND", "named symbol not found");
        add(NOT_READY, "CUDA_ERROR_NOT_READY", "device not ready");
        add(ILLEGAL_ADDRESS, "CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered");
        add(LAUNCH_OUT_OF_RESOURCES, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES",
                "too many resources requested for launch");
        add(LAUNCH_TIMEOUT, "CUDA_ERROR_LAUNCH_TIMEOUT", "the launch timed out and was terminated");
        add(CONTEXT_IS_DESTROYED, "CUDA_ERROR_CONTEXT_IS_DESTROYED", "context is destroyed");
        add(ASSERT, "CUDA_ERROR_ASSERT", "device-side assert triggered");
        add(HARDWARE_STACK_ERROR, "CUDA_ERROR_HARDWARE_STACK_ERROR", "hardware stack error");
        add(ILLEGAL_INSTRUCTION, "CUDA_ERROR_ILLEGAL_INSTRUCTION", "an illegal instruction was encountered");
        add(MISALIGNED_ADDRESS, "CUDA_ERROR_MISALIGNED_ADDRESS", "misaligned address");
        add(INVALID_ADDRESS_SPACE, "CUDA_ERROR_INVALID_ADDRESS_SPACE",
                "operation not supported on global/shared address space");
        add(INVALID_PC, "CUDA_ERROR_INVALID_PC", "invalid program counter");
        add(LAUNCH_FAILED, "CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure");
        add(NOT_SUPPORTED, "CUDA_ERROR_NOT_SUPPORTED", "operation not supported");
        add(STREAM_CAPTURE_UNSUPPORTED, "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED",
                "operation not permitted when stream is capturing");
        add(STREAM_CAPTURE_INVALIDATED, "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED",
                "operation failed due to a previous error during capture");
        add(STREAM_CAPTURE_UNMATCHED, "CUDA_ERROR_STREAM_CAPTURE_UNMATCHED",
                "capture was not initiated in this stream");
        add(STREAM_CAPTURE_UNJOINED, "CUDA_ERROR_STREAM_CAPTURE_UNJOINED",
                "capturing stream has unjoined work");
        add(STREAM_CAPTURE_IMPLICIT, "CUDA_ERROR_STREAM_CAPTURE_IMPLICIT",
                "operation would make the legacy stream depend on a capturing blocking stream");
        add(UNKNOWN, "CUDA_ERROR_UNKNOWN", "unknown error");
    }

    private CudaStatus() {}

    private static void add(int code, String name, String text) {
        TABLE.put(code, new String[] {name, text});
    }

    /** Whether this table knows the code (bindings may prefer the driver's own text otherwise). */
    public static boolean isKnown(int code) { return TABLE.containsKey(code); }

    /** {@code cuGetErrorName}'s answer, or {@code CUresult(N)} for a code this table lacks. */
    public static String name(int code) {
        String[] e = TABLE.get(code);
        return e != null ? e[0] : "CUresult(" + code + ")";
    }

    /** {@code cuGetErrorString}'s answer, or "unrecognized error code N". */
    public static String string(int code) {
        String[] e = TABLE.get(code);
        return e != null ? e[1] : "unrecognized error code " + code;
    }

    /** Throws a {@link CudaException} naming {@code call} unless {@code status} is success. */
    public static void check(int status, String call) {
        if (status != SUCCESS) throw error(status, call, null);
    }

    /** The exception {@link #check} throws, with optional detail about this particular failure. */
    public static CudaException error(int status, String call, String detail) {
        return new CudaException(call, status, name(status), string(status), detail, null);
    }
}
