package io.flambeau.backend.cpu;

import static io.flambeau.backend.cpu.SgemmMicroKernel.MR;
import static io.flambeau.backend.cpu.SgemmMicroKernel.NR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rules that turn reported cache sizes into Sgemm's blocking. */
class SgemmBlockingTest {

    @Test
    void zen5CachesGiveTheMeasuredBlocking() {
        SgemmBlocking b = SgemmBlocking.forCaches(48 * 1024, 1024 * 1024, "test");
        assertEquals(256, b.kc(), "A micro-panel (12 x kc floats) a quarter of 48 KiB");
        assertEquals(12 * MR, b.mc());
        assertEquals(1024, b.nc(), "packed B block (kc x nc floats) as large as 1 MiB");
    }

    @Test
    void twoMegabyteL2GivesAOneMegabyteBBlock() {
        SgemmBlocking b = SgemmBlocking.forCaches(48 * 1024, 2048 * 1024, "test");
        assertEquals(256, b.kc());
        assertEquals(1024, b.nc(), "packed B block half of a 2 MiB L2");
        assertEquals(1L << 20, SgemmBlocking.bBlockBytes(1L << 20), "all of a 1 MiB L2");
        assertEquals(256L << 10, SgemmBlocking.bBlockBytes(256L << 10), "all of a small L2");
    }

    @Test
    void everyBlockingFitsItsCaches() {
        long[][] caches = {{32 * 1024, 1024 * 1024}, {48 * 1024, 2048 * 1024}, {32 * 1024, 256 * 1024},
            {64 * 1024, 512 * 1024}, {16 * 1024, 128 * 1024}};
        for (long[] c : caches) {
            SgemmBlocking b = SgemmBlocking.forCaches(c[0], c[1], "test");
            String what = b.toString();
            assertEquals(0, b.kc() % 8, what);
            assertTrue(b.kc() >= 64 && b.kc() <= 512, what);
            assertTrue(b.kc() == 64 || 4L * MR * b.kc() <= c[0] / 4, what);
            assertEquals(0, b.nc() % NR, what);
            assertEquals(0, b.mc() % MR, what);
            long block = SgemmBlocking.bBlockBytes(c[1]);
            assertTrue(block <= c[1] && (block == c[1] || block >= c[1] / 2), what);
            assertTrue(b.nc() == 4 * NR || 4L * b.kc() * b.nc() <= block, what);
            assertTrue(4L * b.kc() * (b.nc() + NR) > block || b.nc() == 4 * NR, what + ": nc as large as the B block allows");
        }
    }

    @Test
    void sysfsSizesParse() {
        assertEquals(48 * 1024, SgemmBlocking.parseSize("48K"));
        assertEquals(2 * 1024 * 1024, SgemmBlocking.parseSize("2M"));
        assertEquals(512, SgemmBlocking.parseSize("512"));
    }

    @Test
    void thisMachinesBlockingIsDescribed() {
        String d = Sgemm.blockingDescription();
        assertTrue(d.contains("kc=" + SgemmBlocking.get().kc()) && d.contains("L2"), d);
    }
}
