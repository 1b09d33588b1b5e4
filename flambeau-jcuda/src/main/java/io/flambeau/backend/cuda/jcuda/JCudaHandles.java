package io.flambeau.backend.cuda.jcuda;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.jcublas.cublasHandle;
import jcuda.runtime.cudaStream_t;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Converts between the {@code long} handles of {@code CudaApi} and JCuda's handle objects.
 *
 * <p>JCuda keeps a handle's native value in the private field {@code NativePointerObject.nativePointer}
 * (plus {@code Pointer.byteOffset} for pointers) and offers no public constructor taking a value, so
 * a handle made elsewhere (by Flambeau's backend, by another library) cannot be handed to JCuda
 * without reaching that field. This class is the one place that does, through var handles resolved
 * once: JCuda is on the class path (an unnamed module), so a private lookup into it is permitted.
 *
 * <p>Device pointers need no field access to create: {@code new CUdeviceptr().withByteOffset(a)} is
 * JCuda's own way to name address {@code a} (native value 0 plus offset a). Reading a pointer back
 * sums both fields, so pointers made either way convert to the right address.
 */
final class JCudaHandles {
    private static final VarHandle NATIVE_POINTER;
    private static final VarHandle BYTE_OFFSET;

    static {
        try {
            MethodHandles.Lookup npo = MethodHandles.privateLookupIn(NativePointerObject.class, MethodHandles.lookup());
            NATIVE_POINTER = npo.findVarHandle(NativePointerObject.class, "nativePointer", long.class);
            MethodHandles.Lookup ptr = MethodHandles.privateLookupIn(Pointer.class, MethodHandles.lookup());
            BYTE_OFFSET = ptr.findVarHandle(Pointer.class, "byteOffset", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("this JCuda version keeps handles differently than JCuda "
                    + JCudaLibraries.JCUDA_VERSION + " (NativePointerObject.nativePointer / Pointer.byteOffset): " + e);
        }
    }

    private JCudaHandles() {}

    /** The native value of a handle; for a pointer, the address it denotes (value plus byte offset). */
    static long value(NativePointerObject handle) {
        if (handle == null) return 0;
        long v = (long) NATIVE_POINTER.get(handle);
        return handle instanceof Pointer p ? v + (long) BYTE_OFFSET.get(p) : v;
    }

    /** Sets a freshly constructed handle's native value; returns it for chaining. */
    private static <T extends NativePointerObject> T withValue(T handle, long value) {
        NATIVE_POINTER.set(handle, value);
        return handle;
    }

    static CUdeviceptr devicePointer(long address) { return new CUdeviceptr().withByteOffset(address); }

    /** Stream 0 is the legacy default stream, which JCuda spells {@code null}. */
    static CUstream stream(long stream) { return stream == 0 ? null : withValue(new CUstream(), stream); }

    /** cuBLAS takes runtime-API streams; a driver stream and a runtime stream are the same native handle. */
    static cudaStream_t runtimeStream(long stream) { return withValue(new cudaStream_t(), stream); }

    static CUcontext context(long context) { return withValue(new CUcontext(), context); }

    static CUmodule module(long module) { return withValue(new CUmodule(), module); }

    static CUfunction function(long function) { return withValue(new CUfunction(), function); }

    static CUevent event(long event) { return withValue(new CUevent(), event); }

    static jcuda.driver.CUgraph graph(long graph) { return withValue(new jcuda.driver.CUgraph(), graph); }

    static jcuda.driver.CUgraphExec graphExec(long exec) { return withValue(new jcuda.driver.CUgraphExec(), exec); }

    static cublasHandle blasHandle(long handle) { return withValue(new cublasHandle(), handle); }
}
