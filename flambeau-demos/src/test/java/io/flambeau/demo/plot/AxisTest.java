package io.flambeau.demo.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AxisTest {
    @Test
    void niceNumberRoundsToOneTwoFiveTimesPowerOfTen() {
        assertEquals(1, Axis.niceNumber(1.2, true));
        assertEquals(2, Axis.niceNumber(1.7, true));
        assertEquals(5, Axis.niceNumber(4.0, true));
        assertEquals(10, Axis.niceNumber(8.0, true));
        assertEquals(0.2, Axis.niceNumber(0.17, true), 1e-15);
        assertEquals(500, Axis.niceNumber(420, true));
    }

    @Test
    void niceNumberCeilingNeverShrinks() {
        assertEquals(2, Axis.niceNumber(1.2, false));
        assertEquals(5, Axis.niceNumber(2.1, false));
        assertEquals(10, Axis.niceNumber(5.5, false));
        assertEquals(1, Axis.niceNumber(1.0, false));
        assertEquals(0.05, Axis.niceNumber(0.031, false), 1e-15);
    }

    @Test
    void unitRangeGetsTicksEveryFifth() {
        Axis a = Axis.linear(0, 1, 6);
        assertEquals(0, a.lo());
        assertEquals(1, a.hi());
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, a.ticks(), 1e-12);
        assertArrayEquals(new String[] {"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}, a.tickLabels());
        assertFalse(a.isLog());
    }

    @Test
    void rangeIsWidenedOutwardToWholeTicks() {
        Axis a = Axis.linear(3, 997, 6);
        assertEquals(0, a.lo());
        assertEquals(1000, a.hi());
        assertArrayEquals(new String[] {"0", "200", "400", "600", "800", "1000"}, a.tickLabels());

        Axis b = Axis.linear(0.013, 0.087, 5);
        assertTrue(b.lo() <= 0.013 && b.hi() >= 0.087);
        assertArrayEquals(new double[] {0, 0.02, 0.04, 0.06, 0.08, 0.1}, b.ticks(), 1e-15);
        for (String label : b.tickLabels()) assertEquals(4, label.length(), "two decimals: " + label);
    }

    @Test
    void tightStepPreferredOverWastedRange() {
        // A step of 2 would need -6..6; a step of 1 fits -5..5 exactly.
        Axis a = Axis.linear(-5, 5, 7);
        assertEquals(-5, a.lo());
        assertEquals(5, a.hi());
        assertEquals("-5", a.tickLabels()[0]);
        assertEquals("0", a.tickLabels()[5]);
    }

    @Test
    void tickValuesAreExactDecimals() {
        Axis a = Axis.linear(0, 0.7, 8);
        for (double t : a.ticks()) {
            // 0.30000000000000004 (from 3 * 0.1) would show up as a wrong label and a
            // grid line a hair off; each tick must be the double nearest k / 10.
            assertEquals(Math.round(t * 10) / 10.0, t);
        }
    }

    @Test
    void fixedRangeKeepsEndsAndPutsTicksInside() {
        Axis a = Axis.linearFixed(-1.2, 1.2, 6);
        assertEquals(-1.2, a.lo());
        assertEquals(1.2, a.hi());
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, a.ticks(), 1e-12);
        assertArrayEquals(new String[] {"-1.0", "-0.5", "0.0", "0.5", "1.0"}, a.tickLabels());
    }

    @Test
    void fractionMapsRangeOntoUnitInterval() {
        Axis a = Axis.linearFixed(-2, 2, 5);
        assertEquals(0, a.fraction(-2));
        assertEquals(0.5, a.fraction(0));
        assertEquals(1, a.fraction(2));
        assertTrue(Double.isNaN(a.fraction(Double.NaN)));
    }

    @Test
    void degenerateRangesStillGiveAUsableAxis() {
        Axis constant = Axis.linear(3, 3, 6);
        assertTrue(constant.lo() < 3 && constant.hi() > 3);
        Axis empty = Axis.linear(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 6);
        assertEquals(0, empty.lo());
        assertEquals(1, empty.hi());
        Axis swapped = Axis.linear(1, 0, 6);
        assertEquals(0, swapped.lo());
        assertEquals(1, swapped.hi());
    }

    @Test
    void largeMagnitudesUseENotation() {
        Axis a = Axis.linear(0, 5e6, 6);
        assertEquals("0", a.tickLabels()[0]);
        assertEquals("1e6", a.tickLabels()[1]);
    }

    @Test
    void noNegativeZeroLabel() {
        Axis a = Axis.linear(-1, 1, 5);
        for (String label : a.tickLabels()) assertFalse(label.startsWith("-0") && Double.parseDouble(label) == 0, label);
    }

    @Test
    void logAxisLabelsDecadesInsideNiceEnds() {
        Axis a = Axis.log(0.0055, 1.45);
        assertTrue(a.isLog());
        assertEquals(0.005, a.lo(), 1e-15);
        assertEquals(2, a.hi(), 1e-15);
        assertArrayEquals(new String[] {"0.01", "0.1", "1"}, a.tickLabels());
        assertTrue(a.minorTicks().length > 0);
        for (double m : a.minorTicks()) assertTrue(m >= a.lo() && m <= a.hi());
    }

    @Test
    void logAxisWithinOneDecadeAlsoLabelsTwoAndFive() {
        Axis a = Axis.log(0.2, 0.9);
        assertArrayEquals(new double[] {0.2, 0.5, 1}, a.ticks(), 1e-12);
        assertArrayEquals(new String[] {"0.2", "0.5", "1"}, a.tickLabels());
    }

    @Test
    void logAxisLabelsShareOneNotation() {
        Axis a = Axis.logFixed(1e-5, 1);
        assertArrayEquals(new String[] {"1e-5", "1e-4", "1e-3", "1e-2", "1e-1", "1e0"}, a.tickLabels(),
                "one label out of the plain range puts the whole axis in e-notation");
        assertArrayEquals(new String[] {"0.001", "0.01", "0.1", "1"}, Axis.logFixed(1e-3, 1).tickLabels());
    }

    @Test
    void logAxisOverTwoDecadesAlsoLabelsTwoAndFive() {
        // a loss falling from about 1.2 to 0.06: 0.1 and 1 alone say too little
        Axis a = Axis.log(0.06, 1.2);
        assertArrayEquals(new String[] {"0.05", "0.1", "0.2", "0.5", "1", "2"}, a.tickLabels());
    }

    @Test
    void logAxisOverManyDecadesLabelsEveryOther() {
        Axis a = Axis.logFixed(1e-12, 1e4);
        assertTrue(a.ticks().length <= 9, "ticks: " + a);
        assertEquals("1e-12", a.tickLabels()[0]);
    }

    @Test
    void logFractionIsLinearInLogSpaceAndNaNForNonPositive() {
        Axis a = Axis.logFixed(0.01, 100);
        assertEquals(0, a.fraction(0.01), 1e-12);
        assertEquals(0.5, a.fraction(1), 1e-12);
        assertEquals(0.75, a.fraction(10), 1e-12);
        assertTrue(Double.isNaN(a.fraction(0)));
        assertTrue(Double.isNaN(a.fraction(-1)));
    }
}
