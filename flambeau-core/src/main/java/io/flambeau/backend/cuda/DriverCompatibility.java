package io.flambeau.backend.cuda;

/**
 * What a driver version means for Flambeau's PTX. The driver JIT-compiles PTX and refuses a
 * {@code .version} newer than itself ({@code CUDA_ERROR_UNSUPPORTED_PTX_VERSION}); Flambeau's kernels
 * are PTX 7.0, which needs a CUDA 11.0 driver (R450) or newer.
 */
public final class DriverCompatibility {
    /** {@code cuDriverGetVersion} of the oldest driver Flambeau runs on: CUDA 11.0. */
    public static final int MIN_DRIVER_VERSION = 11000;
    /** The PTX ISA Flambeau's kernels declare. */
    public static final String FLAMBEAU_PTX = "7.0";

    /** CUDA version → newest PTX ISA (major*10+minor) its driver accepts; newest first. */
    private static final int[][] PTX_ISA = {
            {13000, 90}, {12090, 88}, {12080, 87}, {12070, 86}, {12050, 85}, {12040, 84}, {12030, 83},
            {12020, 82}, {12010, 81}, {12000, 80}, {11080, 78}, {11070, 77}, {11060, 76}, {11050, 75},
            {11040, 74}, {11030, 73}, {11020, 72}, {11010, 71}, {11000, 70},
    };

    private DriverCompatibility() {}

    /** Whether Flambeau's PTX runs on a driver reporting {@code version}. */
    public static boolean supported(int version) { return version >= MIN_DRIVER_VERSION; }

    /** "12.4" for 12040. */
    public static String cudaVersion(int version) {
        return version / 1000 + "." + (version % 1000) / 10;
    }

    /** The newest PTX ISA the driver JIT-compiles, e.g. "8.4"; "older than 7.0" before CUDA 11. */
    public static String maxPtxIsa(int version) {
        for (int[] row : PTX_ISA) {
            if (version >= row[0]) return row[1] / 10 + "." + row[1] % 10 + (row == PTX_ISA[0] && version > row[0] ? " or newer" : "");
        }
        return "older than 7.0";
    }

    /** The reason line for a driver that is too old. */
    public static String tooOldLine(int version) {
        return "NVIDIA driver too old: it supports CUDA " + cudaVersion(version) + ", Flambeau needs CUDA "
                + cudaVersion(MIN_DRIVER_VERSION) + " or newer";
    }

    /** What to do about it. */
    public static String tooOldAdvice(int version) {
        return "cuDriverGetVersion = " + version + ", which JIT-compiles PTX up to " + maxPtxIsa(version)
                + "; Flambeau's kernels are PTX " + FLAMBEAU_PTX + ". Update the NVIDIA driver to R450 or newer";
    }
}
