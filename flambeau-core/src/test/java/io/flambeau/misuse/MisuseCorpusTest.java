package io.flambeau.misuse;

import io.flambeau.Torch;
import io.flambeau.backend.Backends;
import io.flambeau.core.FlambeauException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Runs every case of the {@link MisuseCorpus} on the default device (the CPU here; the simulated
 * GPU in {@link SimCudaMisuseCorpusTest}): the code must throw exactly the expected type (a
 * subclass counts), every fact must appear in the message (case-insensitive), and the error must
 * be a {@link FlambeauException} unless the case expects a JVM type on purpose. After the code, the
 * device is synchronised inside the same check, so an error the GPU reports at its next
 * synchronisation counts as the case's error, of the same type.
 */
class MisuseCorpusTest {
    private static final int MINIMUM_CASES = 150;

    @TestFactory
    Stream<DynamicTest> everyCaseGivesItsTypedError() {
        return MisuseCorpus.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    @Test
    void corpusIsLargeAndNamesAreUnique() {
        List<MisuseCase> all = MisuseCorpus.all();
        assertTrue(all.size() >= MINIMUM_CASES, "the corpus has " + all.size() + " cases");
        Set<String> names = new HashSet<>();
        for (MisuseCase c : all) {
            assertTrue(names.add(c.name()), "duplicate case name " + c.name());
            assertFalse(c.facts().isEmpty(), c.name() + " asserts no fact of its message");
            assertFalse(c.pytorch().isBlank(), c.name() + " says nothing of PyTorch's behaviour");
        }
    }

    /** One case's check; also run on the demos' cases by DemoMisuseTest in flambeau-demos. */
    static void check(MisuseCase c) {
        Throwable thrown = null;
        try {
            c.code().run();
            Backends.of(Torch.defaultDevice()).synchronize(); // deferred device errors surface here
        } catch (Throwable t) {
            thrown = t;
        }
        assertNotNull(thrown, c.name() + ": expected " + c.type().getSimpleName() + " but nothing was thrown");
        if (!c.type().isInstance(thrown)) {
            throw new AssertionError(c.name() + ": expected " + c.type().getSimpleName() + " but got "
                    + thrown.getClass().getName() + ": " + thrown.getMessage(), thrown);
        }
        if (FlambeauException.class.isAssignableFrom(c.type())) {
            assertInstanceOf(FlambeauException.class, thrown);
        }
        String message = String.valueOf(thrown.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        for (String fact : c.facts()) {
            assertTrue(lower.contains(fact.toLowerCase(Locale.ROOT)),
                    c.name() + ": the message lacks \"" + fact + "\": " + message);
        }
    }
}
