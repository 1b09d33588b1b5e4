package io.flambeau.bench;

import io.flambeau.DeviceSelection;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.Device;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** JMH: elementwise, broadcast and reduction throughput on the CPU backend, and the per-op latency of tiny tensors. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms6g", "-Xmx6g"})
public class ElementwiseBench {
    Tensor x16m, y16m, m4096x1024, row1024, a3, b3;

    @Setup
    public void setUp() {
        DeviceSelection.setDefaultDevice(Device.CPU);
        x16m = Torch.rand(1 << 24);
        y16m = Torch.rand(1 << 24);
        m4096x1024 = Torch.rand(4096, 1024);
        row1024 = Torch.rand(1024);
        a3 = Torch.rand(3);
        b3 = Torch.rand(3);
    }

    @Benchmark
    public Tensor add16M() { return x16m.add(y16m); }

    @Benchmark
    public Tensor broadcastAdd4096x1024() { return m4096x1024.add(row1024); }

    @Benchmark
    public Tensor relu16M() { return x16m.relu(); }

    @Benchmark
    public Tensor sum16M() { return x16m.sum(); }

    @Benchmark
    public Tensor tinyAdd() { return a3.add(b3); }

    // The same ops with the result released at once (a Scope per call), as Python's reference
    // counting releases PyTorch's: the next call reuses the array, hot and without zeroing.

    @Benchmark
    public void add16MScoped() {
        try (io.flambeau.Scope s = io.flambeau.Scope.open()) { x16m.add(y16m); }
    }

    @Benchmark
    public void broadcastAdd4096x1024Scoped() {
        try (io.flambeau.Scope s = io.flambeau.Scope.open()) { m4096x1024.add(row1024); }
    }

    @Benchmark
    public void relu16MScoped() {
        try (io.flambeau.Scope s = io.flambeau.Scope.open()) { x16m.relu(); }
    }
}
