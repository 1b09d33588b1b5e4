package io.flambeau.demo.plot;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The font probe: what AWT throws on a machine without fonts becomes the reason figures are skipped. */
class FontsTest {
    @Test
    void aFontconfigFailureBecomesAReasonNamingWhatToInstall() {
        Optional<String> why = Fonts.probe(() -> {
            throw new RuntimeException("Fontconfig head is null, check your fonts or fonts configuration");
        });
        assertTrue(why.isPresent());
        assertTrue(why.get().contains("Fontconfig head is null"), why.get());
        assertTrue(why.get().contains("apt-get install fontconfig"), why.get());
    }

    @Test
    void linkageAndInternalErrorsOfTheFontLibrariesAreReasonsToo() {
        assertTrue(Fonts.probe(() -> { throw new UnsatisfiedLinkError("libfontmanager.so"); }).isPresent());
        assertTrue(Fonts.probe(() -> { throw new InternalError("font"); }).isPresent());
    }

    @Test
    void textThatCanBeMeasuredMeansFiguresAreDrawn() {
        assertEquals(Optional.empty(), Fonts.probe(() -> { }));
    }
}
