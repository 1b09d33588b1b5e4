package io.flambeau.backend.cuda.sim;

import io.flambeau.backend.cuda.api.CuDeviceAttribute;
import io.flambeau.backend.cuda.api.CudaStatus;

/** {@code cuDeviceGetAttribute} answers of the simulated device: an sm_75-class GPU. */
final class DeviceAttributes {
    private DeviceAttributes() {}

    static int value(int attribute, SimulatedCudaConfig cfg, int ordinal) {
        return switch (attribute) {
            case CuDeviceAttribute.MAX_THREADS_PER_BLOCK -> KernelLauncher.MAX_THREADS_PER_BLOCK;
            case CuDeviceAttribute.MAX_BLOCK_DIM_X -> KernelLauncher.MAX_BLOCK[0];
            case CuDeviceAttribute.MAX_BLOCK_DIM_Y -> KernelLauncher.MAX_BLOCK[1];
            case CuDeviceAttribute.MAX_BLOCK_DIM_Z -> KernelLauncher.MAX_BLOCK[2];
            case CuDeviceAttribute.MAX_GRID_DIM_X -> (int) KernelLauncher.MAX_GRID[0];
            case CuDeviceAttribute.MAX_GRID_DIM_Y -> (int) KernelLauncher.MAX_GRID[1];
            case CuDeviceAttribute.MAX_GRID_DIM_Z -> (int) KernelLauncher.MAX_GRID[2];
            case CuDeviceAttribute.MAX_SHARED_MEMORY_PER_BLOCK, CuDeviceAttribute.MAX_SHARED_MEMORY_PER_BLOCK_OPTIN ->
                    InstructionDecoder.MAX_SHARED_BYTES;
            case CuDeviceAttribute.MAX_SHARED_MEMORY_PER_MULTIPROCESSOR -> 64 * 1024;
            case CuDeviceAttribute.TOTAL_CONSTANT_MEMORY -> 64 * 1024;
            case CuDeviceAttribute.WARP_SIZE -> 32;
            case CuDeviceAttribute.MAX_REGISTERS_PER_BLOCK, CuDeviceAttribute.MAX_REGISTERS_PER_MULTIPROCESSOR -> 65536;
            case CuDeviceAttribute.CLOCK_RATE -> 1_500_000;
            case CuDeviceAttribute.MEMORY_CLOCK_RATE -> 5_000_000;
            case CuDeviceAttribute.GLOBAL_MEMORY_BUS_WIDTH -> 256;
            case CuDeviceAttribute.L2_CACHE_SIZE -> 4 * 1024 * 1024;
            case CuDeviceAttribute.MULTIPROCESSOR_COUNT -> cfg.multiprocessors();
            case CuDeviceAttribute.MAX_THREADS_PER_MULTIPROCESSOR -> 1024;
            case CuDeviceAttribute.INTEGRATED, CuDeviceAttribute.ECC_ENABLED, CuDeviceAttribute.PCI_DEVICE_ID -> 0;
            case CuDeviceAttribute.PCI_BUS_ID -> ordinal + 1;
            case CuDeviceAttribute.CONCURRENT_KERNELS, CuDeviceAttribute.UNIFIED_ADDRESSING,
                 CuDeviceAttribute.MANAGED_MEMORY -> 1;
            case CuDeviceAttribute.ASYNC_ENGINE_COUNT -> 2;
            case CuDeviceAttribute.COMPUTE_CAPABILITY_MAJOR -> cfg.ccMajor();
            case CuDeviceAttribute.COMPUTE_CAPABILITY_MINOR -> cfg.ccMinor();
            default -> throw CudaStatus.error(CudaStatus.INVALID_VALUE, "cuDeviceGetAttribute",
                    "attribute " + attribute + " is not simulated");
        };
    }
}
