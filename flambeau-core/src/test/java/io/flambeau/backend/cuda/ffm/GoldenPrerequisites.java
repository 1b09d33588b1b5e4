package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.CudaUnavailableException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * Conditions for the golden suites on CUDA, evaluated before the class starts so that a missing
 * prerequisite shows up in the test report as a skipped class with its reason (an abort inside
 * {@code @BeforeAll} of a test factory would show up as zero tests and no reason).
 */
final class GoldenPrerequisites {
    private GoldenPrerequisites() {}

    /** The loopback driver can be built (gcc and cuda.h are present). */
    static final class Loopback implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            try {
                LoopbackLibrary.require();
                return ConditionEvaluationResult.enabled("the loopback driver is built");
            } catch (TestAbortedException e) {
                return ConditionEvaluationResult.disabled(e.getMessage());
            }
        }
    }

    /** The machine's driver finds a GPU. */
    static final class Gpu implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            try {
                FfmCudaApiFactory.openNew().close();
                return ConditionEvaluationResult.enabled("a GPU is present");
            } catch (CudaUnavailableException e) {
                return ConditionEvaluationResult.disabled("no usable GPU: " + e.getMessage());
            }
        }
    }
}
