package io.flambeau.golden;

import io.flambeau.core.Device;

/** The golden PyTorch cases on the CPU backend. */
class CpuGoldenOpsTest extends GoldenOpsSuite {
    @Override
    protected Device device() { return Device.CPU; }
}
