package io.flambeau.backend.cuda.ffm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written bindings say exactly what native/headers.h says: every prototype has a binding
 * whose FunctionDescriptor has the C types' sizes and kinds, in order, and nothing is bound that the
 * header does not declare. With the loopback compiled against cuda.h plus headers.h (which the
 * compiler checks against NVIDIA's declarations), this chains the Java descriptors to cuda.h.
 */
class HeadersMatchBindingsTest {
    private static final Pattern PROTOTYPE = Pattern.compile(
            "^(CUresult|cublasStatus_t)\\s+(?:CUDAAPI|CUBLASWINAPI)\\s+(\\w+)\\s*\\(([^)]*)\\);", Pattern.MULTILINE);

    /** The C types headers.h uses, by how they are passed. */
    private static ValueLayout layout(String param) {
        String p = param.replaceAll("\\bconst\\b", "").strip();
        if (p.contains("*")) return ValueLayout.ADDRESS;
        String type = p.replaceAll("\\s+\\w+$", "").replaceAll("\\s+", " ").strip();
        return switch (type) {
            case "int", "unsigned int", "CUresult", "CUdevice", "CUdevice_attribute", "CUjit_option",
                 "cublasOperation_t", "cublasMath_t", "CUstreamCaptureMode" -> ValueLayout.JAVA_INT;
            case "unsigned char" -> ValueLayout.JAVA_BYTE;
            case "size_t", "CUdeviceptr", "long long int", "unsigned long long" -> ValueLayout.JAVA_LONG;
            case "float" -> ValueLayout.JAVA_FLOAT;
            case "double" -> ValueLayout.JAVA_DOUBLE;
            case "CUcontext", "CUmodule", "CUfunction", "CUstream", "CUevent", "CUgraph", "CUgraphExec", "cublasHandle_t",
                 "cudaStream_t" -> ValueLayout.ADDRESS;
            default -> throw new AssertionError("headers.h uses a type this test does not know: '" + type + "' in '" + param + "'");
        };
    }

    private static Map<String, List<ValueLayout>> prototypes() throws IOException {
        String text = Files.readString(Path.of("native/headers.h")).replaceAll("(?s)/\\*.*?\\*/", "")
                .replaceAll("(?m)^\\s*#.*$", "").replaceAll("\\s*\\n\\s*", " ")
                .replace(";", ";\n");
        Map<String, List<ValueLayout>> out = new LinkedHashMap<>();
        Matcher m = PROTOTYPE.matcher(text.replaceAll("(?m)^\\s+", ""));
        while (m.find()) {
            List<ValueLayout> params = new ArrayList<>();
            params.add(ValueLayout.JAVA_INT); // the status
            if (!m.group(3).strip().equals("void")) for (String p : m.group(3).split(",")) params.add(layout(p));
            out.put(m.group(2), params);
        }
        return out;
    }

    private static void assertMatches(String name, List<ValueLayout> expected, FunctionDescriptor d) {
        List<MemoryLayout> actual = new ArrayList<>();
        actual.add(d.returnLayout().orElseThrow());
        actual.addAll(d.argumentLayouts());
        assertEquals(expected.size(), actual.size(), name + ": parameter count");
        for (int i = 0; i < expected.size(); i++) {
            ValueLayout e = expected.get(i);
            MemoryLayout a = actual.get(i);
            String where = name + (i == 0 ? " return" : " parameter " + i);
            if (e instanceof AddressLayout) {
                assertTrue(a instanceof AddressLayout, where + " is a pointer in headers.h, bound as " + a);
            } else {
                assertTrue(a instanceof ValueLayout v && v.carrier() == e.carrier() && v.byteSize() == e.byteSize(),
                        where + " is " + e + " in headers.h, bound as " + a);
            }
        }
    }

    private static FunctionDescriptor descriptor(Class<?> header, String name) throws ReflectiveOperationException {
        return (FunctionDescriptor) header.getMethod(name + "$descriptor").invoke(null);
    }

    @Test
    void everyDeclarationHasAMatchingBindingAndViceVersa() throws Exception {
        Loopback.require(); // the header classes bind on first use: they need a library to load
        Map<String, List<ValueLayout>> protos = prototypes();
        assertTrue(protos.size() >= 45, "parsed " + protos.keySet());
        List<String> bound = new ArrayList<>(CudaDriver_h.SYMBOLS);
        bound.addAll(CudaDriver_h.GRAPH_SYMBOLS);
        bound.addAll(Cublas_h.SYMBOLS);
        for (Map.Entry<String, List<ValueLayout>> e : protos.entrySet()) {
            String name = e.getKey();
            if (name.equals("cuEventElapsedTime")) continue; // bound as the fallback of cuEventElapsedTime_v2
            Class<?> header = name.startsWith("cublas") ? Cublas_h.class : CudaDriver_h.class;
            assertMatches(name, e.getValue(), descriptor(header, name));
        }
        for (String symbols : bound) {
            for (String s : symbols.split("\\|")) assertTrue(protos.containsKey(s), s + " is bound but not declared in headers.h");
        }
    }

    @Test
    void theLoopbackExportsEverySymbolTheBindingsLookUp() {
        Loopback.require();
        assertEquals(List.of(), CudaDriver_h.missingSymbols());
        assertEquals(List.of(), CudaDriver_h.missingGraphSymbols());
        assertEquals(List.of(), Cublas_h.missingSymbols());
    }
}
