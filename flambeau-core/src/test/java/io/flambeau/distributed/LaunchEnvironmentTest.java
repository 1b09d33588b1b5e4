package io.flambeau.distributed;

import io.flambeau.core.DistributedException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LaunchEnvironmentTest {
    @Test
    void openMpiVariablesComeFirst() {
        var e = LaunchEnvironment.read(Map.of("OMPI_COMM_WORLD_RANK", "2", "OMPI_COMM_WORLD_SIZE", "4",
                "OMPI_COMM_WORLD_LOCAL_RANK", "1", "FLAMBEAU_RANK", "0", "FLAMBEAU_WORLD_SIZE", "1"));
        assertEquals(new LaunchEnvironment(2, 4, 1, "OMPI_COMM_WORLD_RANK/OMPI_COMM_WORLD_SIZE"), e);
    }

    @Test
    void pmiThenFlambeauThenTorchNames() {
        assertEquals(3, LaunchEnvironment.read(Map.of("PMI_RANK", "3", "PMI_SIZE", "8", "MPI_LOCALRANKID", "3")).rank());
        var f = LaunchEnvironment.read(Map.of("FLAMBEAU_RANK", "1", "FLAMBEAU_WORLD_SIZE", "2"));
        assertEquals(1, f.rank());
        assertEquals(2, f.worldSize());
        assertEquals(0, f.localRank());
        assertEquals(5, LaunchEnvironment.read(Map.of("RANK", "5", "WORLD_SIZE", "6", "LOCAL_RANK", "1")).rank());
    }

    @Test
    void noLauncher() {
        assertFalse(LaunchEnvironment.read(Map.of("HOME", "/root")).known());
    }

    @Test
    void aBadNumberIsNamed() {
        var e = assertThrows(DistributedException.class,
                () -> LaunchEnvironment.read(Map.of("FLAMBEAU_RANK", "one", "FLAMBEAU_WORLD_SIZE", "2")));
        assertEquals("environment variable FLAMBEAU_RANK=one is not an integer", e.getMessage());
    }
}
