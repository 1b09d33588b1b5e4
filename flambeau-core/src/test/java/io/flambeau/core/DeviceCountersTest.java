package io.flambeau.core;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceCountersTest {
    @Test
    void differencesKeepOnlyTheKernelsThatRanAndTheSnapshotCannotChange() {
        Map<String, Long> early = new HashMap<>(Map.of("a", 2L, "b", 1L));
        DeviceCounters before = new DeviceCounters(early, 1, 1, 2, 0, 0, 3, 4, 0);
        early.put("a", 99L); // the snapshot copied the map
        DeviceCounters after = new DeviceCounters(Map.of("a", 5L, "b", 1L, "c", 2L), 3, 1, 4, 1, 2, 3, 4, 1);
        DeviceCounters d = after.minus(before);
        assertEquals(Map.of("a", 3L, "c", 2L), d.launchesByKernel());
        assertEquals(5, d.launches());
        assertEquals(7, d.launchesWithGemms());
        assertEquals(0, d.launches("b"));
        assertEquals(0, d.hostToDevice());
        assertEquals(2, d.deviceToHost());
        assertEquals(0, d.synchronizations());
        assertEquals(0, d.allocations());
        assertEquals(1, d.frees());
        assertThrows(UnsupportedOperationException.class, () -> d.launchesByKernel().put("x", 1L));
        String text = d.toString();
        assertTrue(text.startsWith("5 launches, 2 GEMMs, 0 H2D, 2 D2H, 1 D2D, 2 memsets, 0 syncs, 0 allocs, 1 frees"), text);
        assertTrue(text.contains("\n  a  3\n  c  2"), text);
    }
}
