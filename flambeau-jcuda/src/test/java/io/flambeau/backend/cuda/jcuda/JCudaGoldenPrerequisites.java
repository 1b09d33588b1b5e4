package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.ffm.LoopbackAccess;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * The golden suite over JCuda needs the loopback driver (gcc and cuda.h). Checked before the class starts, so that a missing one shows in the report as a skipped class
 * with its reason (an abort inside {@code @BeforeAll} of a test factory would show zero tests).
 */
final class JCudaGoldenPrerequisites implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        try {
            LoopbackAccess.require();
        } catch (TestAbortedException e) {
            return ConditionEvaluationResult.disabled(e.getMessage());
        }
        return ConditionEvaluationResult.enabled("the loopback driver is built");
    }
}
