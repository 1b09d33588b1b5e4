package io.flambeau.distributed.mpi;

import io.flambeau.core.DType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The handle tables against the installed mpi.h of each implementation: a C program compiled
 * against the header prints the value of every constant the table holds (the compiler evaluates
 * the header's macros), and the table must give the same. MPICH's handles are all constants;
 * Open MPI's are addresses of globals found at run time, so only its error classes are compared.
 */
class MpiHandleTablesTest {
    private static final List<Path> MPICH_INCLUDE = List.of(Path.of("/usr/include/x86_64-linux-gnu/mpich"),
            Path.of("/usr/include/mpich-x86_64"), Path.of("/usr/include/mpich"));
    private static final List<Path> OPEN_MPI_INCLUDE = List.of(Path.of("/usr/lib/x86_64-linux-gnu/openmpi/include"),
            Path.of("/usr/include/openmpi-x86_64"), Path.of("/usr/include/openmpi"));

    @Test
    void mpichTableIsMpichHeaders(@TempDir Path dir) throws Exception {
        Path include = installed(MPICH_INCLUDE, "MPICH's mpi.h (apt-get install libmpich-dev)");
        MpichHandles h = new MpichHandles();
        Map<String, Long> table = new LinkedHashMap<>();
        table.put("MPI_COMM_WORLD", h.commWorld());
        table.put("MPI_COMM_NULL", h.commNull());
        table.put("MPI_ERRORS_RETURN", h.errorsReturn());
        table.put("MPI_FLOAT", h.datatype(DType.FLOAT32));
        table.put("MPI_DOUBLE", h.datatype(DType.FLOAT64));
        table.put("MPI_INT64_T", h.datatype(DType.INT64));
        table.put("MPI_C_BOOL", h.datatype(DType.BOOL));
        table.put("MPI_SUM", h.op(MpiOp.SUM));
        table.put("MPI_PROD", h.op(MpiOp.PROD));
        table.put("MPI_MAX", h.op(MpiOp.MAX));
        table.put("MPI_MIN", h.op(MpiOp.MIN));
        table.put("MPI_LAND", h.op(MpiOp.LAND));
        table.put("MPI_LOR", h.op(MpiOp.LOR));
        table.put("(intptr_t) MPI_IN_PLACE", h.inPlace());
        table.put("(intptr_t) MPI_STATUS_IGNORE", h.statusIgnore());
        table.put("sizeof(MPI_Comm)", 4L);
        table.put("sizeof(MPI_Group)", 4L);
        table.put("sizeof(MPI_Datatype)", 4L);
        table.put("sizeof(MPI_Op)", 4L);
        table.put("sizeof(MPI_Request)", 4L);
        table.put("sizeof(MPI_Errhandler)", 4L);
        table.put("MPI_THREAD_SERIALIZED", 2L);
        for (var e : h.errorClasses().entrySet()) table.put(e.getValue(), (long) e.getKey());
        assertEquals(table, valuesInHeader(dir, include, table.keySet()));
        assertEquals(4, h.layout().byteSize(), "MPICH's handles are passed as C ints");
    }

    @Test
    void openMpiErrorClassesAreOpenMpisHeaders(@TempDir Path dir) throws Exception {
        Path include = installed(OPEN_MPI_INCLUDE, "Open MPI's mpi.h (apt-get install libopenmpi-dev)");
        Map<String, Long> table = new LinkedHashMap<>();
        for (var e : OpenMpiHandles.ERROR_CLASSES.entrySet()) table.put(e.getValue(), (long) e.getKey());
        table.put("MPI_THREAD_SERIALIZED", 2L);
        table.put("(intptr_t) MPI_IN_PLACE", 1L);
        table.put("(intptr_t) MPI_STATUS_IGNORE", 0L);
        table.put("sizeof(MPI_Comm)", 8L);
        assertEquals(table, valuesInHeader(dir, include, table.keySet()));
    }

    @Test
    void unknownErrorClassesAreNamedByNumber() {
        assertEquals("MPI_ERR_ROOT", new MpichHandles().errorClassName(7));
        assertEquals("error class 999", new MpichHandles().errorClassName(999));
    }

    private static Path installed(List<Path> candidates, String what) {
        Path dir = candidates.stream().filter(d -> Files.exists(d.resolve("mpi.h"))).findFirst().orElse(null);
        Assumptions.assumeTrue(dir != null, "no " + what + " in " + candidates);
        return dir;
    }

    /** Compiles and runs a program printing {@code name value} for each expression, against the mpi.h in {@code include}. */
    private static Map<String, Long> valuesInHeader(Path dir, Path include, java.util.Collection<String> names)
            throws IOException, InterruptedException {
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stdint.h>\n#include <mpi.h>\nint main(void) {\n");
        for (String n : names) c.append("    printf(\"%s\\t%lld\\n\", \"").append(n).append("\", (long long) (").append(n).append("));\n");
        c.append("    return 0;\n}\n");
        Path source = dir.resolve("values.c");
        Path program = dir.resolve("values");
        Files.writeString(source, c);
        String compiled = run(List.of("gcc", "-I" + include, source.toString(), "-o", program.toString()));
        Assumptions.assumeTrue(compiled != null, "gcc not found");
        Assumptions.assumeTrue(Files.isExecutable(program), "gcc could not compile against " + include + ": " + compiled);
        String out = run(List.of(program.toString()));
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : out.strip().split("\n")) {
            String[] kv = line.split("\t");
            values.put(kv[0], Long.parseLong(kv[1]));
        }
        return values;
    }

    private static String run(List<String> cmd) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return null;
        }
    }
}
