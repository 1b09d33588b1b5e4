package io.flambeau.ops;

import io.flambeau.backend.Backend;
import io.flambeau.backend.Storage;
import io.flambeau.core.DType;
import io.flambeau.core.OutOfMemoryException;

/**
 * The one place the ops layer asks a backend for memory. Two failures become typed errors here,
 * naming the op: a shape whose element or byte count overflows a long (checked before anything is
 * allocated, as PyTorch's "Storage size calculation overflowed"), and a Java heap that cannot hold
 * the tensor ({@link OutOfMemoryError} from the CPU backend's arrays, turned into an
 * {@link OutOfMemoryException} with the bytes asked for and what the heap had free). Device memory
 * has its own typed error from the CUDA allocator.
 */
final class Allocation {
    private Allocation() {}

    static Storage allocate(String op, Backend backend, long[] shape, DType dtype) {
        long bytes = Shapes.checkedBytes(op, shape, dtype);
        try {
            return backend.allocate(dtype, bytes / dtype.byteSize());
        } catch (OutOfMemoryError e) {
            throw outOfMemory(op, backend, shape, dtype, bytes, e);
        }
    }

    static Storage upload(String op, Backend backend, Object hostArray, long[] shape) {
        try {
            return backend.upload(hostArray);
        } catch (OutOfMemoryError e) {
            long n = hostArray != null && hostArray.getClass().isArray() ? java.lang.reflect.Array.getLength(hostArray) : 0;
            DType dtype = switch (hostArray) {
                case double[] d -> DType.FLOAT64;
                case long[] l -> DType.INT64;
                case boolean[] b -> DType.BOOL;
                case null, default -> DType.FLOAT32;
            };
            throw outOfMemory(op, backend, shape, dtype, n * dtype.byteSize(), e);
        }
    }

    private static OutOfMemoryException outOfMemory(String op, Backend backend, long[] shape, DType dtype, long bytes,
                                                    OutOfMemoryError e) {
        Runtime rt = Runtime.getRuntime();
        long max = rt.maxMemory();
        long free = Math.max(0, max - (rt.totalMemory() - rt.freeMemory()));
        return new OutOfMemoryException(op + ": out of memory on " + backend.device() + ": tried to allocate "
                + OutOfMemoryException.bytes(bytes) + " for a " + dtype.pyName() + " tensor of shape " + Shapes.format(shape)
                + "; the Java heap has " + OutOfMemoryException.bytes(free) + " free of its maximum "
                + OutOfMemoryException.bytes(max) + ". Use smaller tensors, release tensors sooner (Scope, close()),"
                + " or give the JVM a larger heap (-Xmx)", bytes, free, e);
    }
}
