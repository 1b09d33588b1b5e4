package io.flambeau.conformance;

import io.flambeau.Tensor;
import io.flambeau.backend.cuda.SimCuda;
import io.flambeau.core.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java code a failing sequence prints must be the sequence: compiled as it is printed and run
 * on the simulated {@code cuda:0}, it leaves every variable exactly as replaying the program
 * does.
 */
class ReproductionCodeTest {
    private static final int PROGRAMS = 40;

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void printedProgramsCompileAndComputeWhatTheProgramsDo() throws Exception {
        SimCuda.install();
        Device gpu = Device.cuda(0);
        List<Program> programs = new ArrayList<>();
        for (long seed = 0; programs.size() < PROGRAMS; seed++) {
            Program p = SequenceGenerator.generate(seed);
            if (p.refused() == 0) programs.add(p); // a refused step would stop the printed code with its exception
        }
        List<List<String>> names = new ArrayList<>();
        StringBuilder src = new StringBuilder("""
                import io.flambeau.*;
                import io.flambeau.core.*;
                import io.flambeau.nn.F;
                import java.util.*;
                public class Printed {
                """);
        for (int i = 0; i < programs.size(); i++) {
            Workspace replay = replay(programs.get(i), gpu);
            names.add(replay.names());
            src.append("public static Map<String, Tensor> program").append(i).append("() {\n").append(programs.get(i).toJava());
            src.append("Map<String, Tensor> vars = new LinkedHashMap<>();\n");
            for (String n : replay.names()) src.append("vars.put(\"").append(n).append("\", ").append(n).append(");\n");
            src.append("return vars;\n}\n");
        }
        src.append("}\n");
        Class<?> printed = compile(src.toString());
        for (int i = 0; i < programs.size(); i++) {
            Map<String, Tensor> vars = (Map<String, Tensor>) printed.getMethod("program" + i).invoke(null);
            Workspace replay = replay(programs.get(i), gpu);
            assertEquals(names.get(i), List.copyOf(vars.keySet()), "seed " + programs.get(i).seed());
            for (String n : names.get(i)) {
                Observation expected = Observation.of(n, replay.get(n)), actual = Observation.of(n, vars.get(n));
                assertNull(expected.differenceFrom(actual, gpu, true, 0), "seed " + programs.get(i).seed() + ", " + n
                        + ": the printed code (" + gpu + ") against the replayed program (\"the CPU\")");
            }
        }
    }

    private static Workspace replay(Program p, Device device) {
        Workspace w = new Workspace(device);
        for (Step s : p.steps()) s.action().run(w);
        return w;
    }

    private Class<?> compile(String source) throws Exception {
        Path file = dir.resolve("Printed.java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK compiler");
        String classes = Path.of(Tensor.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, null, errors, "-classpath", classes, "-d", dir.toString(), "-proc:none", file.toString());
        assertEquals(0, rc, "the printed code must compile:\n" + errors);
        ClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
        Class<?> c = loader.loadClass("Printed");
        assertTrue(Map.class.isAssignableFrom(c.getMethod("program0").getReturnType()));
        return c;
    }

}
