package io.flambeau.misuse;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The demos' part of the misuse corpus ({@link DemoMisuse}), checked as {@link MisuseCorpusTest}
 * checks the library's cases (on the simulated GPU in {@link SimCudaDemoMisuseTest}). It lives with
 * the demos because the library's tests cannot see them.
 */
class DemoMisuseTest {
    @TestFactory
    Stream<DynamicTest> everyCaseGivesItsTypedError() {
        return DemoMisuse.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            assertFalse(c.facts().isEmpty(), c.name() + " asserts no fact of its message");
            assertFalse(c.pytorch().isBlank(), c.name() + " says nothing of PyTorch's behaviour");
            MisuseCorpusTest.check(c);
        }));
    }
}
