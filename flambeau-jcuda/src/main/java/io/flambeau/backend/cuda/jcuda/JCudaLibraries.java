package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.api.CudaStatus;
import io.flambeau.backend.cuda.api.CudaUnavailableException.Reason;
import jcuda.LibUtils;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starting JCuda: its Java jars, its JNI libraries, and the NVIDIA libraries those link against.
 *
 * <p>JCuda's JNI libraries come in a natives jar per platform ({@code jcuda-natives-12.0.0-linux-x86_64.jar})
 * from which JCuda's {@code LibUtils} extracts them at run time. They are linked against CUDA 12.0:
 * {@code libJCudaDriver} needs {@code libcuda.so.1} and {@code libJCublas2} needs {@code libcublas.so.12},
 * found by the dynamic linker by soname (or already loaded under that soname). When any of that is
 * missing, JCuda fails with an {@link UnsatisfiedLinkError} whose text buries the cause in nested stack
 * traces; this class checks what it can before loading and reads the cause out of the error after,
 * and throws a {@link JCudaUnavailableException} naming what was found and what is needed.
 *
 * <p>When {@value #PATH_PROPERTY} names a folder, its {@code libcuda.so.1} and {@code libcublas.so.12}
 * are loaded by absolute path first: the dynamic linker then satisfies JCuda's {@code NEEDED} entries
 * by soname with those already-loaded libraries instead of searching the system.
 *
 * <p>A JNI library that failed to load leaves its JCuda class unusable for the life of the JVM, so
 * that failure is kept and thrown again; failures found before JCuda is touched (a missing jar, a
 * library missing from {@value #PATH_PROPERTY}) are not kept, so a later attempt can succeed.
 */
final class JCudaLibraries {
    /** The JCuda release the pom names; its JNI library names carry this version. */
    static final String JCUDA_VERSION = "12.0.0";
    /** JCuda 12.0.0 is built against CUDA 12.0 ({@code JCudaDriver.CUDA_VERSION}, 12000). */
    static final int NEEDED_DRIVER_VERSION = JCudaDriver.CUDA_VERSION;
    static final String DRIVER_LIBRARY = "libcuda.so.1";
    static final String BLAS_LIBRARY = "libcublas.so.12";
    /**
     * A folder holding the CUDA libraries to use instead of the system's: the property the FFM binding
     * honours, with the same meaning here (the loopback tests set it to the loopback driver's folder).
     */
    static final String PATH_PROPERTY = "flambeau.cuda.libraryPath";

    private static final Pattern MISSING_LIBRARY = Pattern.compile("([^\\s:/]+\\.so[.\\d]*): cannot open shared object file");
    private static final Pattern MISSING_SYMBOL = Pattern.compile("undefined symbol: (\\w+)");
    private static final String USE_FFM = "or use Flambeau's default FFM binding (-Dflambeau.cuda.binding=ffm)";

    /** The driver binding's load failure, once JCuda's JNI library failed to load (it cannot be retried). */
    private static JCudaUnavailableException driverLinkFailure;
    /** Likewise for cuBLAS: why JCublas2's JNI library failed to load. */
    private static String blasLinkFailure;

    private JCudaLibraries() {}

    /**
     * Loads JCuda's driver binding, checks that the driver is new enough for JCuda and calls
     * {@code cuInit(0)}; returns the driver version.
     */
    static synchronized int openDriver() {
        if (driverLinkFailure != null) throw driverLinkFailure;
        requireClass("jcuda.driver.JCudaDriver", "org.jcuda:jcuda:" + JCUDA_VERSION);
        String jni = jniFileName("JCudaDriver");
        List<String> tried = requireNatives(jni, "org.jcuda:jcuda-natives:" + JCUDA_VERSION + ":" + platform());
        preloadFromLibraryPath();
        try {
            JCudaDriver.setExceptionsEnabled(false); // first use of JCudaDriver: loads its JNI library
        } catch (LinkageError e) {
            driverLinkFailure = driverLinkFailure(jni, e, tried);
            throw driverLinkFailure;
        }
        int[] version = new int[1];
        int status = JCudaDriver.cuDriverGetVersion(version);
        if (status != CudaStatus.SUCCESS) {
            throw new JCudaUnavailableException(Reason.INIT_FAILED, "the CUDA driver did not report its version",
                    DRIVER_LIBRARY + " whose cuDriverGetVersion returned " + CudaStatus.name(status),
                    "a working NVIDIA driver", "", List.of(), null);
        }
        // Checked before any other driver call: JCuda's JNI library binds driver functions lazily, so
        // calling one that an older driver lacks would end the process ("symbol lookup error").
        if (version[0] < NEEDED_DRIVER_VERSION) {
            throw new JCudaUnavailableException(Reason.DRIVER_TOO_OLD,
                    "the NVIDIA driver supports CUDA " + cudaVersion(version[0]) + ", JCuda " + JCUDA_VERSION
                            + " needs CUDA " + cudaVersion(NEEDED_DRIVER_VERSION),
                    "a driver for CUDA " + cudaVersion(version[0]) + " (cuDriverGetVersion " + version[0] + ")",
                    "a driver for CUDA " + cudaVersion(NEEDED_DRIVER_VERSION) + " or newer (" + NEEDED_DRIVER_VERSION
                            + "), the version JCuda " + JCUDA_VERSION + " is built against",
                    "update the NVIDIA driver, " + USE_FFM + ", which needs CUDA 11.0", List.of(), null);
        }
        status = JCudaDriver.cuInit(0);
        if (status != CudaStatus.SUCCESS) throw initFailure(status, version[0]);
        return version[0];
    }

    /**
     * Loads JCuda's cuBLAS v2 binding; returns null when it works, else one line saying why not
     * (cuBLAS is optional: matrix products then run on Flambeau's PTX GEMM).
     */
    static synchronized String openBlas() {
        if (blasLinkFailure != null) return blasLinkFailure;
        try {
            Class.forName("jcuda.jcublas.JCublas2", false, JCudaLibraries.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "org.jcuda:jcublas:" + JCUDA_VERSION + " is not on the class path";
        }
        String jni = jniFileName("JCublas2");
        if (!nativesPresent(jni, new ArrayList<>())) {
            return jni + " (org.jcuda:jcublas-natives:" + JCUDA_VERSION + ":" + platform() + ") is not on the class path";
        }
        try {
            JCublas2.setExceptionsEnabled(false); // first use of JCublas2: loads its JNI library
            return null;
        } catch (LinkageError e) {
            String missing = find(MISSING_LIBRARY, e);
            blasLinkFailure = missing != null
                    ? missing + " not found: JCuda's " + jni + " is linked against it (CUDA 12's cuBLAS)"
                    : jni + " failed to load: " + firstLine(e);
            return blasLinkFailure;
        }
    }

    /**
     * With {@value #PATH_PROPERTY} set, loads that folder's driver (required) and cuBLAS 12 (when
     * present) by absolute path, before JCuda's JNI libraries ask for them by soname.
     */
    private static void preloadFromLibraryPath() {
        String dir = System.getProperty(PATH_PROPERTY);
        if (dir == null || dir.isBlank()) return;
        Path driver = Path.of(dir.trim(), DRIVER_LIBRARY).toAbsolutePath();
        if (!Files.isRegularFile(driver)) {
            throw new JCudaUnavailableException(Reason.NO_DRIVER, "no NVIDIA driver (" + DRIVER_LIBRARY + " not found)",
                    PATH_PROPERTY + "=" + dir + ", a folder without " + DRIVER_LIBRARY,
                    DRIVER_LIBRARY + " in that folder",
                    "point " + PATH_PROPERTY + " at the folder holding " + DRIVER_LIBRARY + " or leave it unset to use the system's",
                    List.of(driver.toString()), null);
        }
        try {
            System.load(driver.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new JCudaUnavailableException(Reason.INIT_FAILED, driver + " failed to load",
                    driver + ", which the JVM could not load: " + firstLine(e), "a loadable " + DRIVER_LIBRARY,
                    "", List.of(driver.toString()), e);
        }
        Path blas = driver.resolveSibling(BLAS_LIBRARY);
        if (Files.isRegularFile(blas)) {
            try {
                System.load(blas.toString());
            } catch (UnsatisfiedLinkError e) {
                // JCublas2 then fails to find libcublas.so.12 and openBlas says so: cuBLAS is optional
            }
        }
    }

    private static void requireClass(String name, String artifact) {
        try {
            Class.forName(name, false, JCudaLibraries.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new JCudaUnavailableException(Reason.INIT_FAILED, "JCuda is not on the class path",
                    "no class " + name, artifact, USE_FFM, List.of(), e);
        }
    }

    /** Checks that LibUtils will find the JNI library: on java.library.path or as a class path resource. */
    private static List<String> requireNatives(String fileName, String artifact) {
        List<String> tried = new ArrayList<>();
        if (nativesPresent(fileName, tried)) return tried;
        throw new JCudaUnavailableException(Reason.INIT_FAILED,
                "JCuda's native library " + fileName + " is not on the class path",
                "the JCuda " + JCUDA_VERSION + " Java API for " + platform() + " but not its JNI library",
                fileName + " from " + artifact,
                "add that jar to the class path (Maven resolves it through jcuda's pom on " + platform() + "), " + USE_FFM,
                tried, null);
    }

    private static boolean nativesPresent(String fileName, List<String> tried) {
        for (String dir : System.getProperty("java.library.path", "").split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            tried.add(dir + "/" + fileName);
            if (new File(dir, fileName).isFile()) return true;
        }
        tried.add("class path resource /lib/" + fileName);
        return JCudaLibraries.class.getResource("/lib/" + fileName) != null;
    }

    private static JCudaUnavailableException driverLinkFailure(String jni, LinkageError e, List<String> tried) {
        String missing = find(MISSING_LIBRARY, e);
        if (DRIVER_LIBRARY.equals(missing)) {
            String ldPath = System.getenv("LD_LIBRARY_PATH");
            return new JCudaUnavailableException(Reason.NO_DRIVER, "no NVIDIA driver (" + DRIVER_LIBRARY + " not found)",
                    jni + " (JCuda's JNI library), but the dynamic linker found no " + DRIVER_LIBRARY,
                    DRIVER_LIBRARY + " from an NVIDIA driver for CUDA " + cudaVersion(NEEDED_DRIVER_VERSION) + " or newer",
                    "install the NVIDIA driver, or add the directory holding " + DRIVER_LIBRARY + " to LD_LIBRARY_PATH",
                    List.of("LD_LIBRARY_PATH=" + (ldPath == null ? "" : ldPath), "/etc/ld.so.cache", "/lib, /usr/lib"), e);
        }
        String symbol = find(MISSING_SYMBOL, e);
        if (symbol != null) {
            return new JCudaUnavailableException(Reason.DRIVER_TOO_OLD,
                    "the NVIDIA driver lacks " + symbol + ", which JCuda " + JCUDA_VERSION + " needs",
                    "a " + DRIVER_LIBRARY + " without " + symbol,
                    "a driver for CUDA " + cudaVersion(NEEDED_DRIVER_VERSION) + " or newer",
                    "update the NVIDIA driver, " + USE_FFM, List.of(), e);
        }
        return new JCudaUnavailableException(Reason.INIT_FAILED, "JCuda's " + jni + " failed to load",
                jni + " on the class path, which the JVM could not load: " + firstLine(e),
                (missing != null ? missing : "its dependencies") + " where the dynamic linker finds them",
                USE_FFM, tried, e);
    }

    private static JCudaUnavailableException initFailure(int status, int version) {
        String found = DRIVER_LIBRARY + " for CUDA " + cudaVersion(version) + " whose cuInit returned "
                + CudaStatus.name(status) + " (" + status + ")";
        return switch (status) {
            case CudaStatus.STUB_LIBRARY -> new JCudaUnavailableException(Reason.STUB_DRIVER,
                    DRIVER_LIBRARY + " is the CUDA toolkit's stub, not a driver", found,
                    "the NVIDIA driver's " + DRIVER_LIBRARY,
                    "remove the toolkit's stubs directory from LD_LIBRARY_PATH", List.of(), null);
            case CudaStatus.NO_DEVICE -> new JCudaUnavailableException(Reason.NO_DEVICE,
                    "NVIDIA driver found but it reports no CUDA device", found, "a CUDA device", "", List.of(), null);
            default -> new JCudaUnavailableException(Reason.INIT_FAILED,
                    "cuInit failed (" + CudaStatus.name(status) + ")", found, "cuInit to succeed", "", List.of(), null);
        };
    }

    /** e.g. "libJCudaDriver-12.0.0-linux-x86_64.so", the file LibUtils looks for. */
    private static String jniFileName(String library) {
        return LibUtils.createLibraryFileName(LibUtils.createPlatformLibraryName(library + "-" + JCUDA_VERSION));
    }

    /** JCuda's platform classifier, e.g. "linux-x86_64". */
    static String platform() {
        String name = LibUtils.createPlatformLibraryName("x");
        return name.substring(2);
    }

    /** 12040 → "12.4". */
    static String cudaVersion(int version) { return version / 1000 + "." + (version % 1000) / 10; }

    /** The first match of {@code pattern} anywhere in the error's cause chain (JCuda nests the real cause). */
    private static String find(Pattern pattern, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() == null) continue;
            Matcher m = pattern.matcher(t.getMessage());
            if (m.find()) return m.group(1);
        }
        return null;
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
