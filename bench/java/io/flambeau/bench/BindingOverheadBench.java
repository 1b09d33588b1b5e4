package io.flambeau.bench;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.backend.cuda.ffm.FfmCudaApiFactory;
import io.flambeau.backend.cuda.ffm.LoopbackAccess;
import io.flambeau.backend.cuda.checked.CheckedCudaApi;
import io.flambeau.backend.cuda.jcuda.JCudaApi;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * JMH: the cost of one {@link CudaApi} call through each binding, Panama FFM ({@code ffm}) and JNI
 * via JCuda ({@code jcuda}), on the same work: a no-op driver call, kernel launches with 4 and 16
 * parameters, 4 KiB copies each way (direct and heap buffers), and SGEMMs of 1x1 and 64x64.
 *
 * <p>{@code -Dflambeau.bench.cuda=loopback} (the default) runs against the loopback driver of the
 * binding tests: device memory is host memory, launches reach a no-op Java executor, so what is
 * measured is the binding (argument marshalling, the native transition, status checks) plus a
 * loopback call that costs the same for both. {@code =system} uses the machine's driver and GPU;
 * launches are then asynchronous and copies real, so differences shrink to what the binding adds.
 * The 64x64 SGEMM on the loopback is a naive C triple loop: it shows scale, not binding overhead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms1g", "-Xmx1g"})
public class BindingOverheadBench {
    /** Which {@link CudaApi} implementation is measured. */
    @Param({"ffm", "jcuda"})
    public String binding;

    private static final String PTX = """
            .version 7.0
            .target sm_75
            .address_size 64

            .visible .entry four(.param .u64 out, .param .u32 n, .param .f32 alpha, .param .f64 beta)
            {
                ret;
            }

            .visible .entry sixteen(
                .param .u64 p0, .param .u32 p1, .param .f32 p2, .param .s64 p3,
                .param .align 8 .b8 shape[24], .param .u64 p5, .param .s32 p6, .param .f64 p7,
                .param .align 4 .b8 small[12], .param .u32 p9, .param .u64 p10, .param .f32 p11,
                .param .u64 p12, .param .u32 p13, .param .align 8 .b8 strides[32], .param .u64 p15
            )
            {
                ret;
            }
            """;

    private static final int COPY_BYTES = 4096;
    private static final int GEMM = 64;

    private CudaApi api;
    private long context, stream, module, four, sixteen, blas;
    private long deviceBuffer, a, b, c;
    private KernelArgs fourArgs, sixteenArgs;
    private ByteBuffer directHost, heapHost;

    @Setup(Level.Trial)
    public void open() {
        boolean loopback = !"system".equals(System.getProperty("flambeau.bench.cuda", "loopback"));
        if (loopback) {
            LoopbackAccess.require(); // builds it and points flambeau.cuda.libraryPath at it
            LoopbackAccess.configure(1, 13000, 1L << 30);
            LoopbackAccess.execute((mod, kernel, dims, s, params) -> 0); // launches reach Java and return at once
        }
        api = switch (binding) {
            case "ffm" -> new FfmCudaApiFactory().create();
            case "jcuda" -> CheckedCudaApi.of(JCudaApi.open()); // behind the same checks as the FFM binding
            default -> throw new IllegalArgumentException("binding must be ffm or jcuda, got " + binding);
        };
        context = api.primaryCtxRetain(0);
        api.ctxSetCurrent(context);
        stream = api.streamCreate();
        module = api.moduleLoadData(PTX);
        four = api.moduleGetFunction(module, "four");
        sixteen = api.moduleGetFunction(module, "sixteen");
        deviceBuffer = api.memAlloc(COPY_BYTES);
        fourArgs = new KernelArgs().ptr(deviceBuffer).u32(1000).f32(1.5f).f64(-2.25);
        sixteenArgs = new KernelArgs().ptr(deviceBuffer).u32(7).f32(0.5f).s64(-5).longs(2, 3, 4)
                .ptr(deviceBuffer + 512).s32(-7).f64(Math.PI).bytes(new byte[12], 4).u32(42).u64(1L << 40)
                .f32(-0.0f).ptr(deviceBuffer + 1024).u32(7).longs(12, 4, 1, 0).ptr(deviceBuffer);
        directHost = ByteBuffer.allocateDirect(COPY_BYTES);
        heapHost = ByteBuffer.allocate(COPY_BYTES);
        long gemmBytes = 4L * GEMM * GEMM;
        a = api.memAlloc(gemmBytes);
        b = api.memAlloc(gemmBytes);
        c = api.memAlloc(gemmBytes);
        for (long p : new long[] {a, b, c}) api.memsetD8Async(p, (byte) 0, gemmBytes, 0);
        blas = api.hasBlas() ? api.blasCreate() : 0;
        if (blas != 0) api.blasSetStream(blas, stream);
        api.ctxSynchronize();
    }

    @TearDown(Level.Trial)
    public void close() {
        api.ctxSynchronize();
        if (blas != 0) api.blasDestroy(blas);
        for (long p : new long[] {deviceBuffer, a, b, c}) api.memFree(p);
        api.moduleUnload(module);
        api.streamDestroy(stream);
    }

    /** {@code cuDriverGetVersion}: the cheapest call there is; the binding's fixed cost. */
    @Benchmark
    public int driverVersion() { return api.driverVersion(); }

    /** {@code cuCtxSynchronize} with nothing queued. */
    @Benchmark
    public void ctxSynchronize() { api.ctxSynchronize(); }

    @Benchmark
    public void launch4() { api.launchKernel(four, 8, 1, 1, 128, 1, 1, 0, stream, fourArgs); }

    @Benchmark
    public void launch16() { api.launchKernel(sixteen, 8, 1, 1, 128, 1, 1, 0, stream, sixteenArgs); }

    @Benchmark
    public void copyHtoD4KiBDirect() { api.memcpyHtoD(deviceBuffer, directHost, COPY_BYTES); }

    @Benchmark
    public void copyDtoH4KiBDirect() { api.memcpyDtoH(directHost, deviceBuffer, COPY_BYTES); }

    @Benchmark
    public void copyHtoD4KiBHeap() { api.memcpyHtoD(deviceBuffer, heapHost, COPY_BYTES); }

    @Benchmark
    public void copyDtoH4KiBHeap() { api.memcpyDtoH(heapHost, deviceBuffer, COPY_BYTES); }

    /** A 1x1x1 SGEMM: cuBLAS's per-call cost with next to no arithmetic. */
    @Benchmark
    public void sgemm1() {
        api.blasSgemm(blas, CudaApi.CUBLAS_OP_N, CudaApi.CUBLAS_OP_N, 1, 1, 1, 1f, a, 1, b, 1, 0f, c, 1);
    }

    @Benchmark
    public void sgemm64() {
        api.blasSgemm(blas, CudaApi.CUBLAS_OP_N, CudaApi.CUBLAS_OP_N, GEMM, GEMM, GEMM, 1f, a, GEMM, b, GEMM, 0f, c, GEMM);
    }
}
