package io.flambeau.backend.cuda;

import io.flambeau.Cuda;
import io.flambeau.backend.BackendProvider;
import io.flambeau.backend.Backends;
import io.flambeau.core.Device;
import io.flambeau.core.DeviceException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without a usable driver (the test JVM's loopback reports no device), CUDA is cleanly unavailable and says why. */
class CudaBackendProviderTest {
    /**
     * Test classes that ran before this one in the same JVM may have left the simulated GPU registered
     * as cuda:0 ({@link SimCuda#install()}, which each of them calls again before use): this test is about
     * the driver alone, so it starts without it.
     */
    @BeforeEach
    void withoutTheSimulatedDevice() {
        Backends.unregister(Device.cuda(0));
    }

    @Test
    void noUsableDriverMeansNoDevicesAndAReason() {
        BackendProvider p = Backends.provider(Device.Kind.CUDA);
        assertTrue(p instanceof CudaBackendProvider, "the CUDA provider is registered as a service");
        assertTrue(p.availableDevices().isEmpty());
        String why = p.unavailableReason();
        assertTrue(why.contains("no NVIDIA driver") || why.contains("no CUDA device"), why);
        assertEquals(0, Cuda.deviceCount());
        DeviceException e = assertThrows(DeviceException.class, () -> Backends.of(Device.cuda(3)));
        assertTrue(e.getMessage().contains("cuda:3") && e.getMessage().contains(why), e.getMessage());
    }
}
