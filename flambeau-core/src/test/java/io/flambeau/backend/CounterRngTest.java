package io.flambeau.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared generator: a pure function of (seed, counter), well spread from the very first draw. */
class CounterRngTest {
    @Test
    void firstDrawOfSeedZeroIsNotDegenerate() {
        assertNotEquals(0L, CounterRng.bits(0, 0));
        assertTrue(Math.abs(CounterRng.normal(0, 0)) < 4, "first normal of seed 0: " + CounterRng.normal(0, 0));
    }

    @Test
    void drawsArePureFunctionsOfSeedAndCounter() {
        assertEquals(CounterRng.bits(7, 12345), CounterRng.bits(7, 12345));
        assertNotEquals(CounterRng.bits(7, 1), CounterRng.bits(8, 1));
        assertNotEquals(CounterRng.bits(7, 1), CounterRng.bits(7, 2));
    }

    @Test
    void momentsMatchTheDistributions() {
        int n = 200_000;
        double su = 0, sn = 0, sn2 = 0;
        for (int i = 0; i < n; i++) {
            float u = CounterRng.uniform(3, i);
            assertTrue(u >= 0 && u < 1);
            su += u;
            double z = CounterRng.normal(3, i);
            sn += z;
            sn2 += z * z;
        }
        assertEquals(0.5, su / n, 0.005);
        assertEquals(0.0, sn / n, 0.01);
        assertEquals(1.0, sn2 / n, 0.01);
    }
}
