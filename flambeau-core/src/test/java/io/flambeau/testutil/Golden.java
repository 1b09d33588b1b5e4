package io.flambeau.testutil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Reads the cases recorded from PyTorch, vendored as JSON Lines under {@code src/test/resources/golden/}.
 * Each non-blank line is one case, a JSON object; see {@link Json} for the value types and
 * {@link GoldenTensor#of} for tensors inside a case.
 */
public final class Golden {
    private Golden() {}

    /**
     * Loads every case of classpath resource {@code golden/<name>}, e.g. {@code load("repr.jsonl")},
     * in file order.
     *
     * @throws IllegalArgumentException naming the file and line when a line is not a JSON object
     * @throws IllegalStateException    when the resource does not exist
     */
    public static List<Map<String, Object>> load(String name) {
        String resource = "golden/" + name;
        InputStream stream = Golden.class.getClassLoader().getResourceAsStream(resource);
        if (stream == null) throw new IllegalStateException("no golden file on the classpath: " + resource);
        List<Map<String, Object>> cases = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            int lineNumber = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) continue;
                try {
                    cases.add(Json.parseObject(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(resource + ":" + lineNumber + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
        return Collections.unmodifiableList(cases);
    }
}
