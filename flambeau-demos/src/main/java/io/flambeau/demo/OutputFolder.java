package io.flambeau.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks the {@code --out} folder before a demo starts: a folder that cannot be made or written
 * would otherwise be found only when the first figure is saved, after the training it records.
 */
final class OutputFolder {
    private OutputFolder() {}

    /** Why PNG files cannot be written into {@code dir}, or empty when they can; makes the folder if missing. */
    static Optional<String> problem(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return Optional.of("cannot create the --out folder " + dir + ": " + reason(e));
        }
        try {
            Path probe = Files.createTempFile(dir, ".flambeau-write-check", ".tmp");
            Files.delete(probe);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot write into the --out folder " + dir + ": " + reason(e));
        }
    }

    private static String reason(IOException e) {
        String name = e.getClass().getSimpleName();
        return switch (name) {
            case "AccessDeniedException" -> "permission denied";
            case "FileAlreadyExistsException" -> "a file of that name is in the way";
            case "FileSystemException" -> e.getMessage() == null ? name : e.getMessage();
            default -> e.getMessage() == null ? name : name + ": " + e.getMessage();
        };
    }
}
