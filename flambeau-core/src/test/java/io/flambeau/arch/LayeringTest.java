package io.flambeau.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layering of ARCHITECTURE.md inside the library module (flambeau-core), enforced by scanning
 * every main source file for the Flambeau types it names (imports and fully qualified uses). A layer
 * may only use the packages listed for it; concrete backends are reached only through ServiceLoader.
 * What lies between modules the compiler checks instead: the library's sources cannot name JCuda
 * (flambeau-jcuda), the demos or their Swing plotting (flambeau-demos), which are not on its class path.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java");

    /** Package prefix of a layer → package prefixes it may use (besides itself and core). */
    private static final Map<String, List<String>> ALLOWED = Map.ofEntries(
            Map.entry("io.flambeau.core", List.of()),
            Map.entry("io.flambeau.backend", List.of()),
            Map.entry("io.flambeau.backend.cpu", List.of("io.flambeau.backend")),
            // the CUDA backend reaches the driver only through the CudaApi seam, never a binding directly
            Map.entry("io.flambeau.backend.cuda", List.of("io.flambeau.backend", "io.flambeau.backend.cuda.api",
                    "io.flambeau.backend.cuda.checked")),
            // the seam itself: what every binding implements; it names no backend and no binding
            Map.entry("io.flambeau.backend.cuda.api", List.of()),
            // the checked seam: one decorator over any binding, validating calls above it
            Map.entry("io.flambeau.backend.cuda.checked", List.of("io.flambeau.backend.cuda.api")),
            // the FFM binding implements the seam; of the backend it names only the driver-version rule
            // (DriverCompatibility) that it applies when it opens
            Map.entry("io.flambeau.backend.cuda.ffm", List.of("io.flambeau.backend.cuda.api",
                    "io.flambeau.backend.cuda.checked", "io.flambeau.backend.cuda.DriverCompatibility")),
            Map.entry("io.flambeau.ops", List.of("io.flambeau.backend")),
            // autograd works on the ops layer; from the backend SPI it names only the op definitions
            // (the vocabulary enums and their gradient formulas)
            Map.entry("io.flambeau.autograd", List.of("io.flambeau.ops", "io.flambeau.backend.BinaryOp",
                    "io.flambeau.backend.UnaryOp", "io.flambeau.backend.ReduceOp", "io.flambeau.backend.Derivative")),
            Map.entry("io.flambeau", List.of("io.flambeau.autograd", "io.flambeau.ops", "io.flambeau.backend")),
            Map.entry("io.flambeau.nn", List.of("io.flambeau")),
            Map.entry("io.flambeau.optim", List.of("io.flambeau", "io.flambeau.nn")),
            // collectives on public tensors, DistributedDataParallel on nn modules, MPI through its binding
            Map.entry("io.flambeau.distributed", List.of("io.flambeau", "io.flambeau.nn", "io.flambeau.distributed.mpi",
                    "io.flambeau.distributed.nccl")),
            Map.entry("io.flambeau.distributed.mpi", List.of()),
            Map.entry("io.flambeau.distributed.nccl", List.of()),
            // the doctor diagnoses the CUDA binding itself: driver library, availability, raw API calls
            Map.entry("io.flambeau.tools", List.of("io.flambeau", "io.flambeau.backend", "io.flambeau.ops",
                    "io.flambeau.backend.cuda", "io.flambeau.backend.cuda.api", "io.flambeau.backend.cuda.ffm")));

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.flambeau(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*");

    @Test
    void everyLayerUsesOnlyWhatItMay() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                // string literals are not type uses (class names in messages and stack-frame filters)
                String src = stripStrings(stripComments(Files.readString(f)));
                Matcher pm = PACKAGE.matcher(src);
                if (!pm.find()) continue;
                String pkg = pm.group(1);
                String layer = layerOf(pkg);
                assertTrue(layer != null, f + ": package " + pkg + " belongs to no layer of LayeringTest");
                Matcher m = REFERENCE.matcher(src);
                while (m.find()) {
                    String ref = m.group();
                    String refPkg = ref.substring(0, ref.lastIndexOf('.'));
                    if (!allowed(pkg, layer, refPkg, ref)) violations.add(f + " (" + layer + ") uses " + ref);
                }
            }
        }
        assertTrue(violations.isEmpty(), "layering violations:\n" + String.join("\n", violations));
    }

    @Test
    void nativeCodeIsReachedOnlyFromItsBindingPackages() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = stripComments(Files.readString(f));
                String path = f.toString().replace('\\', '/');
                // backend.cpu holds off-heap storages in memory segments; of its files only
                // NativeHeap (malloc/free) may call native code
                boolean cpuSegments = path.contains("/backend/cpu/") && !src.contains("Linker")
                        || path.endsWith("/backend/cpu/NativeHeap.java");
                if (src.contains("java.lang.foreign") && !path.contains("/backend/cuda/ffm/")
                        && !path.contains("/distributed/mpi/") && !path.contains("/distributed/nccl/") && !cpuSegments) {
                    violations.add(f + " uses java.lang.foreign outside backend.cuda.ffm, distributed.mpi/nccl and"
                            + " backend.cpu's segments (native calls there only in NativeHeap)");
                }
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    private static String layerOf(String pkg) {
        String best = null;
        for (String layer : ALLOWED.keySet()) {
            if ((pkg.equals(layer) || pkg.startsWith(layer + ".")) && (best == null || layer.length() > best.length())) {
                best = layer;
            }
        }
        return best;
    }

    private static boolean allowed(String pkg, String layer, String refPkg, String ref) {
        if (refPkg.equals(pkg) || refPkg.equals("io.flambeau.core")) return true;
        if (layer.equals(layerOf(refPkg))) return true; // inside one's own layer
        for (String ok : ALLOWED.get(layer)) {
            if (ref.equals(ok) || refPkg.equals(ok)) return true;
        }
        return false;
    }

    private static String stripStrings(String src) {
        return src.replaceAll("\"(?:[^\"\\\\\n]|\\\\.)*\"", "\"\"");
    }

    private static String stripComments(String src) {
        return src.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }
}
