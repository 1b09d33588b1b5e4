package io.flambeau;

import io.flambeau.backend.Backend;
import io.flambeau.backend.BackendProvider;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one log line device selection writes: which device, and why. */
class DeviceSelectionTest {
    /** A CUDA provider that reports what the binding found, without a backend behind it. */
    private record FakeCuda(List<Device> availableDevices, String unavailableReason, String availabilityNote)
            implements BackendProvider {
        @Override
        public Device.Kind kind() { return Device.Kind.CUDA; }

        @Override
        public Backend backend(Device device) { throw new UnsupportedOperationException(); }
    }

    private final List<String> lines = new ArrayList<>();

    @Test
    void withoutUsableCudaTheCpuIsChosenWithTheReason() {
        FakeCuda none = new FakeCuda(List.of(), "no NVIDIA driver (libcuda.so.1 not found)", "");
        assertEquals(Device.CPU, DeviceSelection.choose(null, none, lines::add));
        assertEquals(List.of("using cpu (no NVIDIA driver (libcuda.so.1 not found))"), lines);
        FakeCuda old = new FakeCuda(List.of(), "NVIDIA driver too old: it supports CUDA 10.2, Flambeau needs CUDA 11.0 or newer", "");
        DeviceSelection.choose(null, old, lines::add);
        assertTrue(lines.get(1).contains("driver too old"), lines.get(1));
        DeviceSelection.choose(null, null, lines::add);
        assertEquals("using cpu (no CUDA backend on the class path)", lines.get(2));
    }

    @Test
    void aGpuIsChosenFirstAndACaveatJoinsTheLine() {
        FakeCuda noBlas = new FakeCuda(List.of(Device.cuda(0)), "",
                "cuBLAS not found (libcublas.so.13 / .12), matrix products use Flambeau's PTX GEMM");
        assertEquals(Device.cuda(0), DeviceSelection.choose(null, noBlas, lines::add));
        assertEquals("using cuda:0 (GPU found; cuBLAS not found (libcublas.so.13 / .12), matrix products use Flambeau's PTX GEMM)",
                lines.getFirst());
    }

    @Test
    void forcingAnUnusableGpuFailsWithTheReason() {
        FakeCuda none = new FakeCuda(List.of(), "NVIDIA driver found but no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE)", "");
        DeviceException e = assertThrows(DeviceException.class, () -> DeviceSelection.choose("cuda", none, lines::add));
        assertTrue(e.getMessage().contains("no CUDA device") && e.getMessage().contains("doctor"), e.getMessage());
        assertEquals(Device.CPU, DeviceSelection.choose("cpu", none, lines::add));
        assertEquals("using cpu (forced by flambeau.device / FLAMBEAU_DEVICE)", lines.getFirst());
    }
}
