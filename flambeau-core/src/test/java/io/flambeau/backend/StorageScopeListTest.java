package io.flambeau.backend;

import io.flambeau.backend.cpu.CpuBackend;
import io.flambeau.core.DType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StorageScope}'s list of owned storages: slots emptied and compacted, and marked stretches. */
class StorageScopeListTest {
    private static Storage make() {
        return CpuBackend.INSTANCE.allocate(DType.FLOAT32, 1);
    }

    @Test
    void ownershipSurvivesManyReleasesAndCompactions() {
        List<Storage> kept = new ArrayList<>();
        List<Storage> released = new ArrayList<>();
        try (StorageScope s = StorageScope.open()) {
            for (int i = 0; i < 1000; i++) {
                Storage a = make();
                if (i % 3 == 0) kept.add(a);
                else {
                    assertTrue(s.release(a));
                    released.add(a);
                }
            }
            assertEquals(kept.size(), s.size());
            for (Storage k : kept) assertTrue(s.owns(k));
            for (Storage r : released) assertFalse(s.owns(r));
            assertFalse(s.release(released.get(0)), "a released storage is not released twice");
        }
        for (Storage k : kept) assertTrue(k.isClosed());
    }

    @Test
    void slotsEmptiedBelowTheMarkLeaveRoomForMore() {
        try (StorageScope s = StorageScope.open()) {
            List<Storage> early = new ArrayList<>();
            for (int i = 0; i < 16; i++) early.add(make());
            s.mark();
            for (Storage e : early) s.release(e); // every empty slot lies below the mark
            List<Storage> stretch = new ArrayList<>();
            for (int i = 0; i < 100; i++) stretch.add(make());
            for (Storage st : stretch) assertTrue(s.owns(st));
            assertEquals(100, s.size());
        }
    }

    @Test
    void releaseSinceMarkTouchesOnlyTheStretch() {
        try (StorageScope s = StorageScope.open()) {
            Storage earlier = make();
            s.mark();
            assertTrue(s.ownsBeforeMark(earlier));
            List<Storage> stretch = new ArrayList<>();
            for (int i = 0; i < 100; i++) stretch.add(make()); // grows the list past the mark
            for (int i = 0; i < 50; i++) s.release(stretch.get(2 * i)); // empties slots: compaction
            for (int i = 0; i < 100; i++) stretch.add(make());
            Storage held = stretch.get(199);
            assertFalse(s.ownsBeforeMark(held));
            s.releaseSinceMark(st -> st == held);
            assertFalse(earlier.isClosed(), "what came before the mark is left alone");
            assertTrue(s.owns(earlier));
            assertFalse(held.isClosed());
            assertTrue(s.owns(held));
            for (Storage st : stretch) if (st != held) assertTrue(st.isClosed());
            assertEquals(2, s.size());
        }
    }
}
