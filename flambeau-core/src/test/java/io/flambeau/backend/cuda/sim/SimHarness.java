package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.KernelArgs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Test convenience over a {@link SimulatedCuda}: a current context, uploads, downloads, launches. */
final class SimHarness {
    final SimulatedCuda cuda;
    final CudaApi api;

    SimHarness() { this(SimulatedCudaConfig.defaults()); }

    SimHarness(SimulatedCudaConfig cfg) {
        cuda = new SimulatedCuda(cfg);
        api = cuda;
        api.init();
        api.ctxSetCurrent(api.primaryCtxRetain(0));
    }

    static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    long upload(ByteBuffer b) {
        b.flip();
        long p = api.memAlloc(Math.max(1, b.remaining()));
        api.memcpyHtoD(p, b, b.remaining());
        return p;
    }

    long upload(float... v) {
        ByteBuffer b = le(v.length * 4);
        for (float x : v) b.putFloat(x);
        return upload(b);
    }

    long upload(double... v) {
        ByteBuffer b = le(v.length * 8);
        for (double x : v) b.putDouble(x);
        return upload(b);
    }

    long upload(int... v) {
        ByteBuffer b = le(v.length * 4);
        for (int x : v) b.putInt(x);
        return upload(b);
    }

    long upload(long... v) {
        ByteBuffer b = le(v.length * 8);
        for (long x : v) b.putLong(x);
        return upload(b);
    }

    long upload(byte... v) {
        ByteBuffer b = le(v.length);
        b.put(v);
        return upload(b);
    }

    ByteBuffer download(long p, int bytes) {
        ByteBuffer b = le(bytes);
        api.memcpyDtoH(b, p, bytes);
        return b;
    }

    float[] floats(long p, int n) {
        ByteBuffer b = download(p, n * 4);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = b.getFloat(i * 4);
        return out;
    }

    double[] doubles(long p, int n) {
        ByteBuffer b = download(p, n * 8);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = b.getDouble(i * 8);
        return out;
    }

    int[] ints(long p, int n) {
        ByteBuffer b = download(p, n * 4);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4);
        return out;
    }

    long[] longs(long p, int n) {
        ByteBuffer b = download(p, n * 8);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = b.getLong(i * 8);
        return out;
    }

    byte[] bytes(long p, int n) {
        byte[] out = new byte[n];
        download(p, n).get(out);
        return out;
    }

    long function(String ptx, String name) {
        return api.moduleGetFunction(api.moduleLoadData(ptx), name);
    }

    void launch(long f, int grid, int block, KernelArgs args) {
        api.launchKernel(f, grid, 1, 1, block, 1, 1, 0, 0, args);
    }

    /**
     * Runs an {@link TestKernels#elementwise} kernel over {@code a.length} elements given as 8-byte
     * input slots; returns {@code outs} 8-byte output slots per element.
     */
    long[] elementwise(String ptx, long[] a, long[] b, int outs) {
        int n = a.length;
        long pa = upload(a), pb = upload(b != null ? b : new long[n]), po = api.memAlloc((long) n * outs * 8);
        launch(function(ptx, "ew"), (n + 63) / 64, 64, new KernelArgs().ptr(pa).ptr(pb).ptr(po).u32(n));
        return longs(po, n * outs);
    }

    static long f32(float v) { return Float.floatToRawIntBits(v) & 0xFFFF_FFFFL; }

    static long f64(double v) { return Double.doubleToRawLongBits(v); }

    static float asF32(long slot) { return Float.intBitsToFloat((int) slot); }

    static double asF64(long slot) { return Double.longBitsToDouble(slot); }
}
