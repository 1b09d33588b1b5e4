package io.flambeau.bench;

import io.flambeau.backend.cuda.api.CudaApi;
import io.flambeau.backend.cuda.api.KernelArgs;
import io.flambeau.backend.cuda.checked.CheckedCudaApi;
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
import org.openjdk.jmh.annotations.Warmup;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JMH: what the checked seam ({@link CheckedCudaApi}) adds to a call, whatever the binding: the same
 * calls on a binding that does nothing ({@code bare}) and on that binding behind the seam
 * ({@code checked}); the difference is the checks' cost (handle and allocation lookups, argument
 * sizes against the kernel's declaration, the host buffer). The binding is a {@link Proxy} that
 * returns fresh handle values, so both sides pay the same fixed cost per call.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main CheckedSeamBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class CheckedSeamBench {
    @Param({"bare", "checked"})
    public String seam;

    private static final String PTX = """
            .visible .entry four(.param .u64 out, .param .u32 n, .param .f32 alpha, .param .f64 beta)
            { ret; }
            .visible .entry sixteen(
                .param .u64 p0, .param .u32 p1, .param .f32 p2, .param .s64 p3,
                .param .align 8 .b8 shape[24], .param .u64 p5, .param .s32 p6, .param .f64 p7,
                .param .align 4 .b8 small[12], .param .u32 p9, .param .u64 p10, .param .f32 p11,
                .param .u64 p12, .param .u32 p13, .param .align 8 .b8 strides[32], .param .u64 p15)
            { ret; }
            """;

    private CudaApi api;
    private long stream, four, sixteen, buffer;
    private KernelArgs fourArgs, sixteenArgs;
    private ByteBuffer host;

    @Setup(Level.Trial)
    public void open() {
        CudaApi nothing = doesNothing();
        api = seam.equals("checked") ? CheckedCudaApi.of(nothing) : nothing;
        api.ctxSetCurrent(0);
        long context = api.primaryCtxRetain(0);
        api.ctxSetCurrent(context);
        stream = api.streamCreate();
        long module = api.moduleLoadData(PTX);
        four = api.moduleGetFunction(module, "four");
        sixteen = api.moduleGetFunction(module, "sixteen");
        for (int i = 0; i < 100; i++) api.memAlloc(1 << 16); // a realistic number of live blocks to search
        buffer = api.memAlloc(1 << 16);
        fourArgs = new KernelArgs().ptr(buffer).u32(1000).f32(1.5f).f64(-2.25);
        sixteenArgs = new KernelArgs().ptr(buffer).u32(7).f32(0.5f).s64(-5).longs(2, 3, 4)
                .ptr(buffer + 512).s32(-7).f64(Math.PI).bytes(new byte[12], 4).u32(42).u64(1L << 40)
                .f32(-0.0f).ptr(buffer + 1024).u32(7).longs(12, 4, 1, 0).ptr(buffer);
        host = ByteBuffer.allocateDirect(4096);
    }

    /** A binding whose every call returns at once: a new handle or 256-aligned address where one is asked for. */
    private static CudaApi doesNothing() {
        AtomicLong next = new AtomicLong(1L << 32);
        return (CudaApi) Proxy.newProxyInstance(CudaApi.class.getClassLoader(), new Class<?>[] {CudaApi.class},
                (proxy, method, args) -> {
                    Class<?> r = method.getReturnType();
                    if (r == long.class) return next.getAndAdd(1 << 20);
                    if (r == int.class) return 1;
                    if (r == boolean.class) return true;
                    if (r == float.class) return 0f;
                    if (r == String.class) return "nothing";
                    if (r == long[].class) return new long[2];
                    return null;
                });
    }

    @Benchmark
    public void launch4() { api.launchKernel(four, 8, 1, 1, 128, 1, 1, 0, stream, fourArgs); }

    @Benchmark
    public void launch16() { api.launchKernel(sixteen, 8, 1, 1, 128, 1, 1, 0, stream, sixteenArgs); }

    @Benchmark
    public void copyHtoD4KiB() { api.memcpyHtoDAsync(buffer, host, 4096, stream); }

    @Benchmark
    public void streamSynchronize() { api.streamSynchronize(stream); }
}
