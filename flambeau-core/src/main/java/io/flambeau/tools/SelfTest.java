package io.flambeau.tools;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.CudaException;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.core.DType;
import io.flambeau.core.Device;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The doctor's checks on one device: the CUDA backend's kernels and GEMMs through the public API
 * ({@link BackendChecks}); then on the binding itself, load and launch a built-in kernel and a
 * cuBLAS SGEMM, each compared with the CPU backend, and copy bandwidth and launch latency. Each
 * check that fails says what to do.
 */
final class SelfTest {
    /** One line of the report. */
    record Check(String name, Status status, String detail, String advice) {}

    enum Status { PASS, FAIL, SKIP, INFO }

    /** y = a*x + y over n floats; PTX 7.0 for sm_75, the doctor's built-in kernel. */
    static final String AXPY = """
            .version 7.0
            .target sm_75
            .address_size 64

            .visible .entry axpy(.param .u64 x, .param .u64 y, .param .f32 a, .param .u64 n)
            {
                .reg .pred %p<2>;
                .reg .f32 %f<4>;
                .reg .b32 %r<4>;
                .reg .b64 %rd<9>;
                ld.param.u64 %rd1, [x];
                ld.param.u64 %rd2, [y];
                ld.param.f32 %f1, [a];
                ld.param.u64 %rd3, [n];
                cvta.to.global.u64 %rd1, %rd1;
                cvta.to.global.u64 %rd2, %rd2;
                mov.u32 %r1, %ctaid.x;
                mov.u32 %r2, %ntid.x;
                mov.u32 %r3, %tid.x;
                mul.wide.u32 %rd4, %r1, %r2;
                cvt.u64.u32 %rd5, %r3;
                add.s64 %rd4, %rd4, %rd5;
                setp.ge.u64 %p1, %rd4, %rd3;
                @%p1 bra DONE;
                shl.b64 %rd6, %rd4, 2;
                add.s64 %rd7, %rd1, %rd6;
                add.s64 %rd8, %rd2, %rd6;
                ld.global.f32 %f2, [%rd7];
                ld.global.f32 %f3, [%rd8];
                fma.rn.f32 %f3, %f1, %f2, %f3;
                st.global.f32 [%rd8], %f3;
            DONE:
                ret;
            }

            .visible .entry empty()
            {
                ret;
            }
            """;

    private final CudaApi api;
    private final List<Check> checks = new ArrayList<>();
    private long stream;

    SelfTest(CudaApi api) {
        this.api = api;
    }

    /**
     * Runs every check on device {@code ordinal}: first through the public API and the CUDA backend
     * ({@link BackendChecks}), then on the binding directly, with the primary context retained for
     * the run and released after (it stays current: the backend may still hold it).
     */
    List<Check> run(int ordinal) {
        checks.addAll(new BackendChecks(Device.cuda(ordinal), api.hasBlas()).run());
        long ctx = api.primaryCtxRetain(ordinal);
        try {
            api.ctxSetCurrent(ctx);
            stream = api.streamCreate();
            long module = guard("load the built-in kernel (PTX 7.0)", () -> api.moduleLoadData(AXPY),
                    "the driver could not JIT-compile Flambeau's PTX: update the NVIDIA driver and rerun");
            if (module != 0) {
                guard("launch the built-in kernel (axpy, 1M floats) and compare with the CPU backend", () -> axpy(module),
                        "kernels do not run correctly on this GPU: run nvidia-smi, check for Xid errors in dmesg, rerun");
                guard("launch latency", () -> latency(module), "");
            }
            if (api.hasBlas()) {
                guard("cuBLAS SGEMM 192x160x128, compared with the CPU backend", this::gemm,
                        "cuBLAS gives wrong results: make sure libcublas matches the driver (CUDA 12 or 13) and rerun");
            } else {
                checks.add(new Check("cuBLAS SGEMM", Status.SKIP, "cuBLAS not found: matrix products use the PTX GEMM", ""));
            }
            guard("copy bandwidth", this::bandwidth, "");
            api.streamDestroy(stream);
        } finally {
            api.primaryCtxRelease(ordinal);
        }
        return checks;
    }

    private interface Step { Object run() throws Exception; }

    /** Runs a step; a failure becomes a FAIL line with the exception's message and the advice. */
    private long guard(String name, Step step, String advice) {
        try {
            Object r = step.run();
            checks.add(r instanceof Check c ? c : new Check(name, Status.PASS, "", ""));
            return r instanceof Long l ? l : 0;
        } catch (CudaException e) {
            checks.add(new Check(name, Status.FAIL, e.getMessage(), advice));
        } catch (Exception | AssertionError e) {
            checks.add(new Check(name, Status.FAIL, e.toString(), advice));
        }
        return 0;
    }

    private Check axpy(long module) {
        int n = 1 << 20;
        float[] x = randomFloats(n, 1), y = randomFloats(n, 2);
        long dx = upload(x), dy = upload(y);
        try {
            long f = api.moduleGetFunction(module, "axpy");
            api.launchKernel(f, (n + 255) / 256, 1, 1, 256, 1, 1, 0, stream, new KernelArgs().ptr(dx).ptr(dy).f32(2.5f).u64(n));
            float[] got = download(dy, n);
            Tensor ref = Torch.tensor(x, DType.FLOAT32, Device.CPU).mul(2.5).add(Torch.tensor(y, DType.FLOAT32, Device.CPU));
            double err = maxRelativeError(got, ref.toFloatArray());
            Status s = err <= 1e-6 ? Status.PASS : Status.FAIL;
            return new Check("launch the built-in kernel (axpy, 1M floats) and compare with the CPU backend", s,
                    String.format(Locale.ROOT, "max relative error %.2g", err),
                    s == Status.PASS ? "" : "the GPU computed different values than the CPU: check the driver with nvidia-smi and rerun");
        } finally {
            api.memFree(dx);
            api.memFree(dy);
        }
    }

    private Check latency(long module) {
        long f = api.moduleGetFunction(module, "empty");
        KernelArgs none = new KernelArgs();
        for (int i = 0; i < 100; i++) api.launchKernel(f, 1, 1, 1, 32, 1, 1, 0, stream, none); // warm up
        api.streamSynchronize(stream);
        int launches = 2000;
        long start = System.nanoTime();
        for (int i = 0; i < launches; i++) api.launchKernel(f, 1, 1, 1, 32, 1, 1, 0, stream, none);
        api.streamSynchronize(stream);
        double us = (System.nanoTime() - start) / 1e3 / launches;
        return new Check("launch latency", Status.INFO, String.format(Locale.ROOT, "%.1f µs per empty-kernel launch (%d launches, queued and synchronised)", us, launches), "");
    }

    /** Row-major C = A·B is column-major Cᵀ = Bᵀ·Aᵀ: cuBLAS gets B first. */
    private Check gemm() {
        int m = 192, n = 160, k = 128;
        float[] a = randomFloats(m * k, 3), b = randomFloats(k * n, 4);
        long da = upload(a), db = upload(b), dc = api.memAlloc((long) m * n * 4);
        long handle = api.blasCreate();
        try {
            api.blasSetStream(handle, stream);
            api.blasSgemm(handle, CudaApi.CUBLAS_OP_N, CudaApi.CUBLAS_OP_N, n, m, k, 1f, db, n, da, k, 0f, dc, n);
            float[] got = download(dc, m * n);
            Tensor ref = Torch.tensor(a, DType.FLOAT32, Device.CPU).reshape(m, k)
                    .matmul(Torch.tensor(b, DType.FLOAT32, Device.CPU).reshape(k, n));
            double err = maxRelativeError(got, ref.toFloatArray());
            Status s = err <= 1e-4 ? Status.PASS : Status.FAIL; // TF32 off; summation order differs from the CPU
            return new Check("cuBLAS SGEMM 192x160x128, compared with the CPU backend", s,
                    String.format(Locale.ROOT, "max relative error %.2g", err),
                    s == Status.PASS ? "" : "cuBLAS gives wrong results: make sure libcublas matches the driver and rerun");
        } finally {
            api.blasDestroy(handle);
            api.memFree(da);
            api.memFree(db);
            api.memFree(dc);
        }
    }

    private Check bandwidth() {
        int bytes = 64 << 20;
        ByteBuffer host = ByteBuffer.allocateDirect(bytes);
        long d = api.memAlloc(bytes);
        try {
            api.memcpyHtoD(d, host, bytes); // warm up
            long t0 = System.nanoTime();
            for (int i = 0; i < 4; i++) api.memcpyHtoD(d, host, bytes);
            long t1 = System.nanoTime();
            for (int i = 0; i < 4; i++) api.memcpyDtoH(host, d, bytes);
            long t2 = System.nanoTime();
            double up = 4.0 * bytes / (t1 - t0), down = 4.0 * bytes / (t2 - t1); // bytes per ns = GB/s
            return new Check("copy bandwidth", Status.INFO, String.format(Locale.ROOT,
                    "host→device %.1f GB/s, device→host %.1f GB/s (64 MiB, pageable memory)", up, down), "");
        } finally {
            api.memFree(d);
        }
    }

    private long upload(float[] v) {
        long d = api.memAlloc(v.length * 4L);
        ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        api.memcpyHtoD(d, b, v.length * 4L);
        return d;
    }

    private float[] download(long d, int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        api.memcpyDtoH(b, d, n * 4L);
        float[] out = new float[n];
        b.asFloatBuffer().get(out);
        return out;
    }

    private static float[] randomFloats(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static double maxRelativeError(float[] got, float[] want) {
        if (got.length != want.length) return Double.POSITIVE_INFINITY;
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            double e = Math.abs(got[i] - want[i]) / Math.max(1.0, Math.abs(want[i]));
            if (!(e <= worst)) worst = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
        }
        return worst;
    }
}
