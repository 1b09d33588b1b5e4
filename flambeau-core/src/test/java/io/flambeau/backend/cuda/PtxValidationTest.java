package io.flambeau.backend.cuda;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.CounterRng;
import io.flambeau.backend.UnaryOp;
import io.flambeau.core.DType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every shipped kernel and a representative set of generated ones (every unary/binary/compare op,
 * cast, fill and where, for every dtype, dense and strided with 32- and 64-bit indexing; every
 * random and softmax variant) must pass NVIDIA's assembler for the oldest (sm_75) and a current
 * (sm_90) target with warnings as errors: what the driver's JIT would refuse fails here, without a GPU.
 * Generated kernels are assembled a few hundred to a module, which keeps this to seconds.
 */
class PtxValidationTest {
    private static final String[] TARGETS = {"sm_75", "sm_90"};

    @BeforeAll
    static void needsPtxas() {
        boolean found;
        try {
            Process p = new ProcessBuilder("ptxas", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            found = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            found = false;
        }
        Assumptions.assumeTrue(found, "ptxas not found on PATH");
    }

    @TestFactory
    Stream<DynamicTest> shippedKernelsAssemble() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("kernels"))) {
            files = s.filter(p -> p.toString().endsWith(".ptx")).sorted().toList();
        }
        assertEquals(List.of("gemm.ptx", "index.ptx", "reduce.ptx"),
                files.stream().map(p -> p.getFileName().toString()).toList(), "the shipped kernel files");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            String text = Files.readString(f);
            tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> assemble(text, f.toString())));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> generatedKernelsAssemble() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (DType t : DType.values()) {
            List<String> group = groups.computeIfAbsent("elementwise " + t, k -> new ArrayList<>());
            for (int variant = 0; variant < 3; variant++) {
                boolean dense = variant == 0, wide = variant == 2;
                int rank = dense ? 0 : 3;
                for (UnaryOp op : UnaryOp.values()) {
                    if (!op.computesIn(t)) continue;
                    group.add(PtxEmitter.emit(spec(ElementwiseSpec.Kind.UNARY, op.name(), List.of(t), t, rank, dense, wide, false)));
                }
                for (BinaryOp op : BinaryOp.values()) {
                    DType out = op.isComparison() ? DType.BOOL : t;
                    group.add(PtxEmitter.emit(spec(ElementwiseSpec.Kind.BINARY, op.name(), List.of(t, t), out, rank, dense, wide, false)));
                    group.add(PtxEmitter.emit(spec(ElementwiseSpec.Kind.BINARY_SCALAR, op.name(), List.of(t), out, rank, dense, wide, true)));
                }
                for (DType to : DType.values()) {
                    group.add(PtxEmitter.emit(spec(ElementwiseSpec.Kind.COPY, null, List.of(t), to, rank, dense, wide, false)));
                }
                group.add(PtxEmitter.emit(spec(ElementwiseSpec.Kind.FILL, null, List.of(), t, rank, dense, wide, false)));
                if (t != DType.BOOL) {
                    group.add(PtxEmitter.emit(spec(ElementwiseSpec.Kind.ADD_RELU, null, List.of(t, t), t, rank, dense, wide, false)));
                }
                group.add(PtxEmitter.emit(spec(ElementwiseSpec.Kind.WHERE, null, List.of(DType.BOOL, t, t), t, rank, dense, wide, false)));
            }
        }
        List<String> other = groups.computeIfAbsent("random and softmax", k -> new ArrayList<>());
        for (CounterRng.Kind kind : CounterRng.Kind.values()) {
            for (DType t : DType.values()) other.add(RandomKernels.emit(new RandomKernels.Key(kind, t)));
        }
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (boolean log : new boolean[] {false, true}) other.add(SoftmaxKernels.emit(new SoftmaxKernels.Key(t, log)));
        }
        List<String> indexing = groups.computeIfAbsent("advanced indexing", k -> new ArrayList<>());
        for (int rank : new int[] {0, 1, 3}) {
            for (int k = 1; k <= 2; k++) {
                for (boolean wide : new boolean[] {false, true}) {
                    for (int e : new int[] {1, 4, 8}) indexing.add(new IndexKernels(false, e, rank, k, wide).emit());
                    for (int mode = 0; mode <= 6; mode++) indexing.add(new IndexKernels(true, mode, rank, k, wide).emit());
                }
            }
        }
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) indexing.add(new RangeKernels(t).emit());
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            indexing.add(new LossKernels(t, false).emit());
            indexing.add(new LossKernels(t, true).emit());
            indexing.add(new CrossEntropyKernels(t, false).emit());
            indexing.add(new CrossEntropyKernels(t, true).emit());
        }
        List<String> optim = groups.computeIfAbsent("multi-tensor optimizers", k -> new ArrayList<>());
        optim.add(MultiTensorOptimizerPtx.stepScalars());
        for (io.flambeau.backend.OptimizerStep.Rule rule : io.flambeau.backend.OptimizerStep.Rule.values()) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                optim.add(MultiTensorOptimizerPtx.emit(new MultiTensorOptimizerPtx.Key(rule, t)));
            }
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            String module = oneModule(g.getValue());
            tests.add(DynamicTest.dynamicTest(g.getKey() + " (" + g.getValue().size() + " kernels)",
                    () -> assemble(module, g.getKey())));
        }
        return tests.stream();
    }

    private static ElementwiseSpec spec(ElementwiseSpec.Kind kind, String op, List<DType> in, DType out, int rank,
                                        boolean dense, boolean wide, boolean reversed) {
        return new ElementwiseSpec(kind, op, in, out, rank, dense, wide, reversed);
    }

    /** Joins generated kernels into one module: one header, each module-level table once. */
    static String oneModule(List<String> kernels) {
        Set<String> tables = new LinkedHashSet<>();
        StringBuilder entries = new StringBuilder();
        for (String k : kernels) {
            for (String line : k.split("\n")) {
                if (line.startsWith(".version") || line.startsWith(".target") || line.startsWith(".address_size")) continue;
                if (line.startsWith(".const")) tables.add(line);
                else entries.append(line).append('\n');
            }
        }
        return PtxBuilder.HEADER + String.join("\n", tables) + "\n" + entries;
    }

    /** Runs ptxas for every target at once (one process each) and fails with the log of any rejection. */
    private static void assemble(String ptx, String what) throws IOException, InterruptedException {
        Path file = Files.createTempFile("flambeau-", ".ptx");
        try {
            Files.writeString(file, ptx);
            List<Process> runs = new ArrayList<>();
            for (String target : TARGETS) {
                runs.add(new ProcessBuilder("ptxas", "--gpu-name", target, "--warning-as-error", file.toString(), "-o", "/dev/null")
                        .redirectErrorStream(true).start());
            }
            for (int i = 0; i < TARGETS.length; i++) {
                Process p = runs.get(i);
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("ptxas timed out on " + what);
                }
                if (p.exitValue() != 0) fail("ptxas " + TARGETS[i] + " rejects " + what + ":\n" + log);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
