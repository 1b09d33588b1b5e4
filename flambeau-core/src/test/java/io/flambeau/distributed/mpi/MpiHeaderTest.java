package io.flambeau.distributed.mpi;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * native/mpi.h is what the binding binds: the same functions as Mpi_h, and declarations that the
 * installed mpi.h accepts (gcc compiles native/mpi.h after it, so any difference in a prototype is
 * a conflicting-types error).
 */
class MpiHeaderTest {
    private static final Path HEADER = Path.of("native/mpi.h");
    private static final Path BINDING = Path.of("src/main/java/io/flambeau/distributed/mpi/Mpi_h.java");
    private static final List<Path> SYSTEM_MPI_H = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/openmpi/include/mpi.h"), Path.of("/usr/include/x86_64-linux-gnu/mpi/mpi.h"),
            Path.of("/usr/include/openmpi/mpi.h"), Path.of("/usr/include/mpi.h"), Path.of("/usr/lib64/openmpi/include/mpi.h"));
    private static final List<Path> MPICH_MPI_H = List.of(Path.of("/usr/include/x86_64-linux-gnu/mpich/mpi.h"),
            Path.of("/usr/include/mpich-x86_64/mpi.h"), Path.of("/usr/include/mpich/mpi.h"));

    @Test
    void bindingAndHeaderNameTheSameFunctions() throws IOException {
        TreeSet<String> declared = new TreeSet<>();
        Matcher m = Pattern.compile("^int (MPI_\\w+)\\(", Pattern.MULTILINE).matcher(Files.readString(HEADER));
        while (m.find()) declared.add(m.group(1));
        String binding = Files.readString(BINDING);
        String list = binding.substring(binding.indexOf("SYMBOLS = List.of("), binding.indexOf(");", binding.indexOf("SYMBOLS")));
        TreeSet<String> bound = new TreeSet<>();
        Matcher b = Pattern.compile("\"(MPI_\\w+)\"").matcher(list);
        while (b.find()) bound.add(b.group(1));
        assertEquals(declared, bound);
        for (String f : bound) {
            assertEquals(true, binding.contains("bind(\"" + f + "\""), f + " is listed but not bound");
        }
    }

    @Test
    void headerAgreesWithTheInstalledMpiH() throws Exception {
        Path mpiH = SYSTEM_MPI_H.stream().filter(Files::exists).findFirst().orElse(null);
        Assumptions.assumeTrue(mpiH != null, "no mpi.h installed (apt-get install libopenmpi-dev)");
        compilesAfter(mpiH);
    }

    /** MPICH's mpi.h includes its mpi_proto.h from the same folder. */
    @Test
    void headerAgreesWithMpichsMpiH() throws Exception {
        Path mpiH = MPICH_MPI_H.stream().filter(Files::exists).findFirst().orElse(null);
        Assumptions.assumeTrue(mpiH != null, "MPICH's mpi.h is not installed (apt-get install libmpich-dev)");
        compilesAfter(mpiH);
    }

    private static void compilesAfter(Path mpiH) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gcc", "-fsyntax-only", "-Werror", "-x", "c", "-I" + mpiH.getParent(),
                "-include", mpiH.toString(), HEADER.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("gcc not found: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "native/mpi.h disagrees with " + mpiH + ":\n" + out);
    }
}
