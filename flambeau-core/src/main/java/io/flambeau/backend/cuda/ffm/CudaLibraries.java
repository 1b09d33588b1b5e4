package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaUnavailableException;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds and loads the CUDA driver library and cuBLAS, once per JVM.
 *
 * <p>Where it looks: when the system property {@value #PATH_PROPERTY} names a folder, only there
 * (an explicit choice, used by the loopback tests, is never silently replaced by whatever the
 * system has); otherwise through the system's own search (dlopen of the soname: LD_LIBRARY_PATH,
 * the ld.so cache), then in the folders drivers and toolkits are usually installed in. Libraries are
 * loaded into the global arena and never unloaded: a driver must outlive every context it made.
 *
 * <p>Only success is cached, so a test build that compiles the loopback library after a first
 * failed attempt still finds it.
 */
public final class CudaLibraries {
    /** A folder holding the CUDA libraries to use instead of the system's. */
    public static final String PATH_PROPERTY = "flambeau.cuda.libraryPath";

    /** A loaded library: its symbols and where it came from (a path or a soname), for messages. */
    public record Loaded(SymbolLookup lookup, String origin) {}

    /** Where to search: explicit folders only, or the system search followed by well-known folders. */
    public record Search(List<Path> folders, boolean system) {
        /** What {@value #PATH_PROPERTY} asks for. */
        public static Search fromProperties() {
            String dir = System.getProperty(PATH_PROPERTY);
            if (dir != null && !dir.isBlank()) return new Search(List.of(Path.of(dir.trim())), false);
            return new Search(wellKnownFolders(), true);
        }
    }

    private static Loaded driver;
    private static Optional<Loaded> blas;
    private static List<String> blasTried = List.of();

    private CudaLibraries() {}

    /** The driver library ({@code libcuda.so.1}), loaded on first use. */
    public static synchronized Loaded driver() {
        if (driver == null) driver = load(driverNames(), Search.fromProperties());
        return driver;
    }

    /** cuBLAS ({@code libcublas.so.13}, else {@code .12}), or empty when neither is found. */
    public static synchronized Optional<Loaded> blas() {
        if (blas == null || blas.isEmpty()) {
            try {
                blas = Optional.of(load(blasNames(), Search.fromProperties()));
            } catch (CudaUnavailableException e) {
                blasTried = e.tried();
                return Optional.empty();
            }
        }
        return blas;
    }

    /** Where cuBLAS was looked for, when it was not found (for the doctor). */
    public static synchronized List<String> blasTried() { return blasTried; }

    /**
     * The first of {@code names} found by {@code search}, trying each name everywhere before the
     * next (libcublas.so.13 in any folder beats libcublas.so.12 on the search path); a typed error
     * listing every attempt otherwise.
     */
    public static Loaded load(List<String> names, Search search) {
        List<String> tried = new ArrayList<>();
        for (String name : names) {
            if (search.system()) {
                tried.add(name + " via the system library search path");
                try {
                    return new Loaded(SymbolLookup.libraryLookup(name, Arena.global()), name);
                } catch (IllegalArgumentException e) {
                    // not on the search path; the message below lists every attempt
                }
            }
            for (Path folder : search.folders()) {
                Path p = folder.resolve(name).toAbsolutePath();
                if (!Files.isRegularFile(p)) {
                    tried.add(p.toString());
                    continue;
                }
                try {
                    return new Loaded(SymbolLookup.libraryLookup(p, Arena.global()), p.toString());
                } catch (IllegalArgumentException e) {
                    tried.add(p + " (" + e.getMessage() + ")");
                }
            }
        }
        throw notFound(names, search, tried);
    }

    private static CudaUnavailableException notFound(List<String> names, Search search, List<String> tried) {
        String what = names.getFirst();
        boolean isDriver = driverNames().contains(what);
        String advice;
        if (!search.system()) {
            advice = PATH_PROPERTY + "=" + search.folders().getFirst() + " holds none of " + names
                    + "; point it at the folder with " + what + " or leave it unset to use the system's";
        } else if (isMac()) {
            advice = "CUDA is not available on macOS; Flambeau runs on the CPU there";
        } else if (isDriver) {
            advice = "install the NVIDIA driver (Linux: the nvidia-driver package, R450 or newer; it provides "
                    + what + "), or inside a container run with the NVIDIA container toolkit (--gpus all)";
        } else {
            advice = "install cuBLAS (the CUDA toolkit, or the nvidia-cublas package) and put its lib folder on "
                    + "LD_LIBRARY_PATH; without it Flambeau uses its own PTX GEMM";
        }
        String line = isDriver ? "no NVIDIA driver (" + what + " not found)" : "cuBLAS not found (" + String.join(", ", names) + ")";
        return new CudaUnavailableException(CudaUnavailableException.Reason.NO_DRIVER, line,
                advice + "; tried: " + String.join(", ", tried), tried, null);
    }

    static List<String> driverNames() {
        return isWindows() ? List.of("nvcuda.dll") : List.of("libcuda.so.1");
    }

    static List<String> blasNames() {
        return isWindows() ? List.of("cublas64_13.dll", "cublas64_12.dll") : List.of("libcublas.so.13", "libcublas.so.12");
    }

    /** Folders tried after the system search: driver folders, then CUDA toolkits (newest first). */
    private static List<Path> wellKnownFolders() {
        List<Path> dirs = new ArrayList<>();
        if (isWindows()) return dirs;
        for (String d : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib",
                "/usr/lib/wsl/lib")) {
            dirs.add(Path.of(d));
        }
        for (String env : List.of("CUDA_HOME", "CUDA_PATH")) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) dirs.add(Path.of(v, "lib64"));
        }
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        try (var s = Files.list(Path.of("/usr/local"))) {
            s.filter(p -> p.getFileName().toString().startsWith("cuda-"))
                    .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()))
                    .forEach(p -> dirs.add(p.resolve("lib64")));
        } catch (Exception e) {
            // no /usr/local or not listable: nothing more to try
        }
        return dirs.stream().filter(Files::isDirectory).distinct().toList();
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    private static boolean isMac() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");
    }
}
