package io.flambeau.backend.cuda;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.core.DType;
import io.flambeau.core.DataException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Copies between Java arrays and device memory through a direct little-endian staging buffer of at
 * most {@link #CHUNK} bytes, so arrays of any length move without a second full-size host copy.
 * Bools travel as one byte each (0 or 1), as they are stored on the device.
 */
final class HostTransfer {
    static final int CHUNK = 32 << 20;

    private HostTransfer() {}

    static DType dtypeOf(Object host) {
        return switch (host) {
            case float[] a -> DType.FLOAT32;
            case double[] a -> DType.FLOAT64;
            case long[] a -> DType.INT64;
            case boolean[] a -> DType.BOOL;
            case null -> throw new DataException("cannot make a tensor from null");
            default -> throw new DataException("cannot make a tensor from " + host.getClass().getSimpleName()
                    + ": expected float[], double[], long[] or boolean[]");
        };
    }

    static int length(Object host) {
        return java.lang.reflect.Array.getLength(host);
    }

    /** Host array → device memory at {@code dst} (queued on {@code stream}, waited for). */
    static void upload(CudaApi api, long stream, long dst, Object host) {
        DType t = dtypeOf(host);
        int n = length(host), size = t.byteSize(), per = CHUNK / size;
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min((long) n * size, CHUNK)).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < n; from += per) {
            int count = Math.min(per, n - from);
            buf.clear();
            switch (host) {
                case float[] a -> buf.asFloatBuffer().put(a, from, count);
                case double[] a -> buf.asDoubleBuffer().put(a, from, count);
                case long[] a -> buf.asLongBuffer().put(a, from, count);
                case boolean[] a -> { for (int i = 0; i < count; i++) buf.put(i, (byte) (a[from + i] ? 1 : 0)); }
                default -> throw new IllegalStateException();
            }
            api.memcpyHtoDAsync(dst + (long) from * size, buf, (long) count * size, stream);
            api.streamSynchronize(stream); // the staging buffer is reused for the next chunk
        }
    }

    /** Device memory at {@code src} ({@code n} dense elements of {@code t}) → a new host array. */
    static Object download(CudaApi api, long src, DType t, long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new DataException("a host array holds at most 2^31-9 elements; this tensor has " + n
                    + " (copy it to the host in slices)");
        }
        int len = (int) n, size = t.byteSize(), per = CHUNK / size;
        Object out = switch (t) {
            case FLOAT32 -> new float[len];
            case FLOAT64 -> new double[len];
            case INT64 -> new long[len];
            case BOOL -> new boolean[len];
        };
        if (len == 0) return out;
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min((long) len * size, CHUNK)).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < len; from += per) {
            int count = Math.min(per, len - from);
            buf.clear();
            api.memcpyDtoH(buf, src + (long) from * size, (long) count * size);
            switch (out) {
                case float[] a -> buf.asFloatBuffer().get(a, from, count);
                case double[] a -> buf.asDoubleBuffer().get(a, from, count);
                case long[] a -> buf.asLongBuffer().get(a, from, count);
                case boolean[] a -> { for (int i = 0; i < count; i++) a[from + i] = buf.get(i) != 0; }
                default -> throw new IllegalStateException();
            }
        }
        return out;
    }
}
