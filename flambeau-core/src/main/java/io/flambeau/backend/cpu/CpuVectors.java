package io.flambeau.backend.cpu;

import java.util.Locale;

/**
 * The one switch between the CPU backend's two kernel sets: the Vector API kernels
 * ({@link Float32Loops}, {@link Sgemm}'s packed and skinny kernels, {@link Dgemm}) and their scalar
 * twins ({@link ScalarGemm}, the plain loops beside each call), which the JIT auto-vectorises
 * where it can.
 *
 * <p>Why: the Vector API is an incubator module that a JVM loads only when asked
 * ({@code --add-modules=jdk.incubator.vector}); a library dropped onto a plain {@code java -cp}
 * would otherwise die at its first tensor op with {@code NoClassDefFoundError}. Every call site of
 * a vector kernel tests {@link #ENABLED} first, so without the module no class that names a vector
 * type is ever loaded. {@code -Dflambeau.cpu.vector=false} picks the scalar kernels even where the
 * module is present (to compare the two, or to test the scalar ones).
 */
public final class CpuVectors {
    /** The property that turns the vector kernels off. */
    public static final String PROPERTY = "flambeau.cpu.vector";
    private static final String MODULE = "jdk.incubator.vector";

    /** Whether the vector kernels run: the module is loaded and not turned off. */
    public static final boolean ENABLED = decide();

    private CpuVectors() {}

    private static boolean decide() {
        boolean present = ModuleLayer.boot().findModule(MODULE).isPresent();
        boolean wanted = !"false".equals(System.getProperty(PROPERTY, "true").trim().toLowerCase(Locale.ROOT));
        if (!present) {
            log("CPU kernels run scalar: the Vector API module is not loaded; start the JVM with --add-modules="
                    + MODULE + " for the vectorised kernels");
        } else if (!wanted) {
            log("CPU kernels run scalar (-D" + PROPERTY + "=false)");
        }
        return present && wanted;
    }

    private static void log(String line) {
        System.getLogger("io.flambeau").log(System.Logger.Level.INFO, "Flambeau: " + line);
    }
}
