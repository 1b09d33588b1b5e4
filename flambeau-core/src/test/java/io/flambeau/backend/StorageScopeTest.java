package io.flambeau.backend;

import io.flambeau.backend.cpu.CpuBackend;
import io.flambeau.core.ClosedTensorException;
import io.flambeau.core.DType;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules of {@link StorageScope}, on CPU storages (they hold for every device). */
class StorageScopeTest {
    private static Storage make() {
        return CpuBackend.INSTANCE.allocate(DType.FLOAT32, 4);
    }

    @Test
    void closingReleasesWhatWasCreatedInsideExceptKeptStorages() {
        Storage before = make(), inside, kept;
        try (StorageScope s = StorageScope.open()) {
            inside = make();
            kept = make();
            s.keep(kept);
            assertSame(s, StorageScope.current());
        }
        assertTrue(inside.isClosed());
        assertFalse(kept.isClosed(), "kept storages survive");
        assertFalse(before.isClosed(), "storages made before the scope are not its business");
        assertThrows(ClosedTensorException.class, () -> inside.checkOpen("add"));
        assertNull(StorageScope.current());
    }

    @Test
    void keepMovesToTheEnclosingScope() {
        Storage kept;
        try (StorageScope outer = StorageScope.open()) {
            try (StorageScope inner = StorageScope.open()) {
                kept = make();
                inner.keep(kept);
                assertTrue(outer.owns(kept));
            }
            assertFalse(kept.isClosed());
        }
        assertTrue(kept.isClosed(), "the enclosing scope releases it");
    }

    @Test
    void outsideAndUntrackMakeLongLivedStorages() {
        Storage longLived, untracked;
        try (StorageScope s = StorageScope.open()) {
            longLived = StorageScope.outside(StorageScopeTest::make);
            untracked = make();
            StorageScope.untrack(untracked);
            assertFalse(s.owns(longLived));
        }
        assertFalse(longLived.isClosed());
        assertFalse(untracked.isClosed());
    }

    @Test
    void closingAnOuterScopeWhileAnInnerOneIsOpenIsAnErrorThatReleasesNothing() {
        StorageScope outer = StorageScope.open();
        Storage outerStorage = make();
        StorageScope innerScope = StorageScope.open();
        Storage inner = make();
        io.flambeau.core.ScopeException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.flambeau.core.ScopeException.class, outer::close);
        assertTrue(e.getMessage().contains(outer.toString()) && e.getMessage().contains(innerScope.toString()),
                e.getMessage());
        assertTrue(e.getMessage().contains("close the inner scope first"), e.getMessage());
        assertFalse(inner.isClosed());
        assertFalse(outerStorage.isClosed());
        innerScope.close();
        outer.close();
        assertTrue(inner.isClosed());
        assertTrue(outerStorage.isClosed());
        assertNull(StorageScope.current());
    }

    @Test
    void aScopeBelongsToItsThread() throws InterruptedException {
        try (StorageScope s = StorageScope.open()) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            AtomicReference<Storage> other = new AtomicReference<>();
            Thread t = new Thread(() -> {
                other.set(make());
                try {
                    s.close();
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            t.start();
            t.join();
            assertTrue(error.get() instanceof io.flambeau.core.ScopeException);
            assertFalse(s.owns(other.get()), "storages made on other threads are not tracked");
        }
    }
}
