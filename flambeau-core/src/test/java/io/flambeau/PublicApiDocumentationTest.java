package io.flambeau;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every public class of the public API packages ({@code io.flambeau}, {@code nn}, {@code optim},
 * {@code distributed}) has a class comment with a short example ({@code <pre>{@code ...}</pre>}),
 * checked on the sources so that {@code mvn test} fails when a new public class has none. (The
 * Javadoc build checks the rest of those packages' comments with doclint: see the pom.) Internal
 * packages are not checked.
 */
class PublicApiDocumentationTest {
    private static final List<String> PACKAGES = List.of("", "nn", "optim", "distributed");
    private static final Pattern TOP_LEVEL_PUBLIC = Pattern.compile(
            "^public\\s+(?:(?:final|abstract|sealed|non-sealed|static|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)",
            Pattern.MULTILINE);
    private static final Pattern TRAILING_ANNOTATIONS = Pattern.compile("(\\s*@\\w+(\\([^)]*\\))?)+\\s*$");

    @Test
    void everyPublicClassHasAClassCommentWithAnExample() throws IOException {
        Path root = Path.of(System.getProperty("user.dir"), "src", "main", "java", "io", "flambeau");
        assertTrue(Files.isDirectory(root), "the sources are not at " + root + " (the test runs from the project directory)");
        List<String> undocumented = new ArrayList<>(), withoutExample = new ArrayList<>();
        int checked = 0;
        for (String pkg : PACKAGES) {
            Path dir = pkg.isEmpty() ? root : root.resolve(pkg);
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.toString().endsWith(".java") && !p.getFileName().toString().equals("package-info.java"))
                        .sorted().toList();
            }
            for (Path f : files) {
                String src = Files.readString(f);
                Matcher m = TOP_LEVEL_PUBLIC.matcher(src);
                if (!m.find()) continue; // package-private helper
                checked++;
                String name = (pkg.isEmpty() ? "io.flambeau." : "io.flambeau." + pkg + ".") + m.group(1);
                String before = TRAILING_ANNOTATIONS.matcher(src.substring(0, m.start())).replaceAll("").stripTrailing();
                int open = before.lastIndexOf("/**");
                if (!before.endsWith("*/") || open < 0 || before.indexOf("*/", open) != before.length() - 2) {
                    undocumented.add(name);
                } else if (!before.substring(open).contains("<pre>{@code")) {
                    withoutExample.add(name);
                }
            }
        }
        assertTrue(checked >= 40, "found only " + checked + " public classes under " + root);
        assertTrue(undocumented.isEmpty(), "public classes without a class comment: " + undocumented);
        assertTrue(withoutExample.isEmpty(), "public classes whose comment has no <pre>{@code ...}</pre> example: " + withoutExample);
    }
}
