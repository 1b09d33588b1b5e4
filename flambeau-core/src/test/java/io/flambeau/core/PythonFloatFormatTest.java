package io.flambeau.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link PythonFloatFormat} against what Python 3 prints for {@code '{:.4f}'}, {@code '{:.4e}'} and {@code '{:.0f}'}. */
class PythonFloatFormatTest {

    private static void check(double value, String fixed4, String scientific4, String fixed0) {
        assertEquals(fixed4, PythonFloatFormat.fixed(value, 4), "{:.4f} of " + value);
        assertEquals(scientific4, PythonFloatFormat.scientific(value, 4), "{:.4e} of " + value);
        assertEquals(fixed0, PythonFloatFormat.fixed(value, 0), "{:.0f} of " + value);
    }

    @Test
    void tiesRoundHalfToEven() {
        check(0.03125, "0.0312", "3.1250e-02", "0");
        check(0.09375, "0.0938", "9.3750e-02", "0");
        check(0.5, "0.5000", "5.0000e-01", "0");
        check(1.5, "1.5000", "1.5000e+00", "2");
        check(2.5, "2.5000", "2.5000e+00", "2");
    }

    @Test
    void roundingCarriesIntoTheNextDigitOrExponent() {
        check(9.99995e-05, "0.0001", "9.9999e-05", "0"); // just below the tie in binary
        check(99999.5, "99999.5000", "1.0000e+05", "100000");
        check(123456.0, "123456.0000", "1.2346e+05", "123456");
        check(0.00015, "0.0001", "1.5000e-04", "0");
    }

    @Test
    void signedZerosAndTinyNegativesKeepTheirSign() {
        check(-0.0, "-0.0000", "-0.0000e+00", "-0");
        check(0.0, "0.0000", "0.0000e+00", "0");
        check(-1e-05, "-0.0000", "-1.0000e-05", "-0");
    }

    @Test
    void extremeExponents() {
        assertEquals("1.0000e+100", PythonFloatFormat.scientific(1e100, 4));
        assertEquals("1.5000e-300", PythonFloatFormat.scientific(1.5e-300, 4));
        assertEquals("4.9407e-324", PythonFloatFormat.scientific(Double.MIN_VALUE, 4));
        assertEquals("1.7977e+308", PythonFloatFormat.scientific(Double.MAX_VALUE, 4));
    }

    @Test
    void nonFiniteValuesHaveNoSignOnNan() {
        check(Double.NaN, "nan", "nan", "nan");
        check(-Double.NaN, "nan", "nan", "nan");
        check(Double.POSITIVE_INFINITY, "inf", "inf", "inf");
        check(Double.NEGATIVE_INFINITY, "-inf", "-inf", "-inf");
    }
}
