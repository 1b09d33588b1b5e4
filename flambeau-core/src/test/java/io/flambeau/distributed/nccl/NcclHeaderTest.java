package io.flambeau.distributed.nccl;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** native/nccl.h declares exactly the functions Nccl_h binds (the loopback NCCL compiles against it). */
class NcclHeaderTest {
    @Test
    void bindingAndHeaderNameTheSameFunctions() throws IOException {
        TreeSet<String> declared = new TreeSet<>();
        Matcher m = Pattern.compile("^(?:ncclResult_t|const char \\*)\\s*(nccl\\w+)\\(", Pattern.MULTILINE)
                .matcher(Files.readString(Path.of("native/nccl.h")));
        while (m.find()) declared.add(m.group(1));
        String binding = Files.readString(Path.of("src/main/java/io/flambeau/distributed/nccl/Nccl_h.java"));
        String list = binding.substring(binding.indexOf("SYMBOLS = List.of("), binding.indexOf(");", binding.indexOf("SYMBOLS")));
        TreeSet<String> bound = new TreeSet<>();
        Matcher b = Pattern.compile("\"(nccl\\w+)\"").matcher(list);
        while (b.find()) bound.add(b.group(1));
        assertEquals(declared, bound);
        for (String f : bound) assertTrue(binding.contains("bind(\"" + f + "\""), f + " is listed but not bound");
    }
}
