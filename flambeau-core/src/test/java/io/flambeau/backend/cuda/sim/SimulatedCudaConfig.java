package io.flambeau.backend.cuda.sim;

/**
 * What the simulated device looks like and how strict it is. Build with {@link #builder()}; every
 * setting has a default that models one sm_75 GPU with 1 GiB and cuBLAS available.
 *
 * @param deviceCount        number of devices (0 makes {@code cuInit} fail with NO_DEVICE)
 * @param deviceName         what {@code cuDeviceGetName} returns
 * @param totalMemory        bytes per device; allocations beyond it fail with OUT_OF_MEMORY
 * @param multiprocessors    {@code MULTIPROCESSOR_COUNT}
 * @param ccMajor            compute capability major (PTX {@code .target} above it is refused)
 * @param ccMinor            compute capability minor
 * @param driverVersion      {@code cuDriverGetVersion}; PTX {@code .version} newer than it supports
 *                           is refused with UNSUPPORTED_PTX_VERSION
 * @param blas               whether cuBLAS is present
 * @param blasVersion        {@code cublasGetVersion}
 * @param fillByte           byte that fresh allocations are filled with, or null for zeros
 * @param raceCheck          report shared-memory data races between bar.sync intervals
 * @param instructionBudget  thread-instructions one launch may execute before LAUNCH_TIMEOUT
 * @param requireExplicitRounding refuse f32/f64 add/sub/mul without a rounding modifier
 * @param moduleCacheSize    parsed modules kept, keyed by PTX text
 */
public record SimulatedCudaConfig(int deviceCount, String deviceName, long totalMemory, int multiprocessors,
                                  int ccMajor, int ccMinor, int driverVersion, boolean blas, int blasVersion,
                                  Integer fillByte, boolean raceCheck, long instructionBudget,
                                  boolean requireExplicitRounding, int moduleCacheSize) {

    public static Builder builder() { return new Builder(); }

    public static SimulatedCudaConfig defaults() { return builder().build(); }

    /** Fluent construction; setters return the builder. */
    public static final class Builder {
        private int deviceCount = 1;
        private String deviceName = "Flambeau Simulated sm_75";
        private long totalMemory = 1L << 30;
        private int multiprocessors = 40;
        private int ccMajor = 7, ccMinor = 5;
        private int driverVersion = 12000;
        private boolean blas = true;
        private int blasVersion = 120001;
        private Integer fillByte = 0xFF;
        private boolean raceCheck = true;
        private long instructionBudget = 4_000_000_000L;
        private boolean requireExplicitRounding = true;
        private int moduleCacheSize = 512;

        public Builder deviceCount(int n) { deviceCount = n; return this; }
        public Builder deviceName(String n) { deviceName = n; return this; }
        public Builder totalMemory(long bytes) { totalMemory = bytes; return this; }
        public Builder multiprocessors(int n) { multiprocessors = n; return this; }
        public Builder computeCapability(int major, int minor) { ccMajor = major; ccMinor = minor; return this; }
        public Builder driverVersion(int v) { driverVersion = v; return this; }
        public Builder blas(boolean present) { blas = present; return this; }
        public Builder blasVersion(int v) { blasVersion = v; return this; }
        public Builder fillByte(Integer b) { fillByte = b; return this; }
        public Builder raceCheck(boolean on) { raceCheck = on; return this; }
        public Builder instructionBudget(long n) { instructionBudget = n; return this; }
        public Builder requireExplicitRounding(boolean on) { requireExplicitRounding = on; return this; }
        public Builder moduleCacheSize(int n) { moduleCacheSize = n; return this; }

        public SimulatedCudaConfig build() {
            return new SimulatedCudaConfig(deviceCount, deviceName, totalMemory, multiprocessors, ccMajor, ccMinor,
                    driverVersion, blas, blasVersion, fillByte, raceCheck, instructionBudget,
                    requireExplicitRounding, moduleCacheSize);
        }

        /** Shorthand for {@code new SimulatedCuda(build())}. */
        public SimulatedCuda create() { return new SimulatedCuda(build()); }
    }

    /** Highest PTX ISA version (major*10+minor) a driver of {@link #driverVersion} JIT-compiles. */
    int maxPtxVersion() {
        int major = driverVersion / 1000, minor = (driverVersion % 1000) / 10;
        if (major < 11) return 65;
        if (major == 11) return 70 + Math.min(minor, 8);
        if (major == 12) return minor <= 5 ? 80 + minor : minor == 6 ? 85 : minor == 7 ? 86 : minor == 8 ? 87 : 88;
        return 90;
    }
}
