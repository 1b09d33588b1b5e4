package io.flambeau.autograd;

import io.flambeau.GradCheck;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.nn.F;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.flambeau.backend.UnaryOp;
import io.flambeau.core.DType;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finite-difference checks (float64) of the gradient of every differentiable op, broadcasting and views included. */
class GradCheckAllOpsTest {

    private static Tensor r(long... shape) {
        return Torch.randn(shape);
    }

    /** Values away from 0 (for log, sqrt, div, pow bases). */
    private static Tensor pos(long... shape) {
        return Torch.rand(shape).add(0.5);
    }

    /** Ops defined only above 0 (or above -1): checked on {@link #pos} inputs. */
    private static final Set<UnaryOp> POSITIVE_DOMAIN = EnumSet.of(UnaryOp.LOG, UnaryOp.SQRT, UnaryOp.RECIPROCAL, UnaryOp.LOG1P);

    /**
     * Every differentiable unary op of the definitions, through its public method: the ones with parameters
     * here, the rest by their PyTorch name in camel case; an op with neither fails the test.
     */
    private static Tensor unaryCall(UnaryOp op, Tensor x) {
        return switch (op) {
            case LEAKY_RELU -> x.leakyRelu(0.1);
            case CLAMP -> x.clamp(-0.5, 0.5);
            case GELU_TANH -> x.gelu("tanh");
            default -> {
                String name = io.flambeau.testutil.OpNames.javaMethod(op.torchName());
                try {
                    yield (Tensor) Tensor.class.getMethod(name).invoke(x);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(op + ": no public Tensor." + name + "() and no case in unaryCall", e);
                }
            }
        };
    }

    /** One case per differentiable op of the {@link UnaryOp} definitions. */
    static Map<String, Case> unaryCases() {
        Map<String, Case> m = new LinkedHashMap<>();
        for (UnaryOp op : UnaryOp.values()) {
            if (op.computesIn(DType.FLOAT64) && op.inputs() != UnaryOp.Inputs.BOOLS) {
                m.put("unary " + op, c(x -> unaryCall(op, x.get(0)), POSITIVE_DOMAIN.contains(op) ? pos(6) : r(6)));
            }
        }
        return m;
    }

    record Case(Function<List<Tensor>, Tensor> f, Tensor[] inputs) {}

    private static Case c(Function<List<Tensor>, Tensor> f, Tensor... in) {
        return new Case(f, in);
    }

    static Map<String, Case> cases() {
        Torch.manualSeed(42);
        Map<String, Case> m = new LinkedHashMap<>();
        m.put("add broadcast", c(x -> x.get(0).add(x.get(1)), r(3, 4), r(4)));
        m.put("sub broadcast", c(x -> x.get(0).sub(x.get(1)), r(3, 1), r(1, 4)));
        m.put("mul broadcast", c(x -> x.get(0).mul(x.get(1)), r(2, 3, 4), r(3, 1)));
        m.put("div", c(x -> x.get(0).div(x.get(1)), r(3, 4), pos(3, 4)));
        m.put("pow tensor", c(x -> x.get(0).pow(x.get(1)), pos(3, 4), r(3, 4)));
        m.put("pow scalar", c(x -> x.get(0).pow(3.0), r(5)));
        m.put("maximum", c(x -> x.get(0).maximum(x.get(1)), r(3, 4), r(4)));
        m.put("minimum", c(x -> x.get(0).minimum(x.get(1)), r(3, 4), r(3, 1)));
        m.put("scalar forms", c(x -> x.get(0).mul(2.5).add(1.0).rsub(3.0).div(2.0), r(4)));
        m.put("rdiv", c(x -> x.get(0).rdiv(2.0), pos(4)));
        m.putAll(unaryCases());
        m.put("sum", c(x -> x.get(0).sum(), r(3, 4)));
        m.put("sum dim", c(x -> x.get(0).sum(1), r(3, 4, 2)));
        m.put("sum keepdim", c(x -> x.get(0).sum(-1, true), r(3, 4)));
        m.put("mean", c(x -> x.get(0).mean(), r(3, 4)));
        m.put("mean dim", c(x -> x.get(0).mean(0, true), r(3, 4)));
        m.put("max", c(x -> x.get(0).max(), r(3, 4)));
        m.put("min", c(x -> x.get(0).min(), r(3, 4)));
        m.put("max dim", c(x -> x.get(0).max(1).values(), r(3, 4)));
        m.put("min dim keepdim", c(x -> x.get(0).min(0, true).values(), r(3, 4)));
        m.put("matmul 2x2", c(x -> x.get(0).matmul(x.get(1)), r(3, 4), r(4, 2)));
        m.put("matmul 1x1", c(x -> x.get(0).matmul(x.get(1)), r(4), r(4)));
        m.put("matmul 1x2", c(x -> x.get(0).matmul(x.get(1)), r(4), r(4, 3)));
        m.put("matmul 2x1", c(x -> x.get(0).matmul(x.get(1)), r(3, 4), r(4)));
        m.put("matmul batched broadcast", c(x -> x.get(0).matmul(x.get(1)), r(2, 1, 3, 4), r(5, 4, 2)));
        m.put("matmul batched x 1d", c(x -> x.get(0).matmul(x.get(1)), r(2, 3, 4), r(4)));
        m.put("view/reshape", c(x -> x.get(0).reshape(4, 3).view(2, 6), r(3, 4)));
        m.put("reshape of transpose", c(x -> x.get(0).t().reshape(-1), r(3, 4)));
        m.put("permute", c(x -> x.get(0).permute(2, 0, 1), r(2, 3, 4)));
        m.put("transpose", c(x -> x.get(0).transpose(0, 2), r(2, 3, 4)));
        m.put("expand", c(x -> x.get(0).expand(3, 4), r(1, 4)));
        m.put("squeeze/unsqueeze", c(x -> x.get(0).squeeze().unsqueeze(0).unsqueeze(2), r(3, 1, 2)));
        m.put("flatten", c(x -> x.get(0).flatten(), r(2, 3, 2)));
        m.put("cat", c(x -> Torch.cat(List.of(x.get(0), x.get(1)), 1), r(2, 3), r(2, 2)));
        m.put("stack", c(x -> Torch.stack(List.of(x.get(0), x.get(1)), 1), r(2, 3), r(2, 3)));
        m.put("where", c(x -> Torch.where(x.get(0).gt(0.0), x.get(0), x.get(1)), r(3, 4), r(4)));
        m.put("slice", c(x -> x.get(0).get(":, 0:6:2"), r(4, 6)));
        m.put("select", c(x -> x.get(0).get(1), r(4, 6)));
        m.put("ellipsis/newaxis", c(x -> x.get(0).get("..., None, 1:"), r(2, 3)));
        m.put("index list", c(x -> x.get(0).get(new long[] {0, 2, 2}), r(4, 3)));
        m.put("pair index", c(x -> x.get(0).get(Torch.arange(0L, 3L), Torch.tensor(new long[] {1, 0, 1})), r(3, 2)));
        m.put("mask", c(x -> x.get(0).get(x.get(0).gt(0.0)), r(4, 3)));
        m.put("index put", c(x -> {
            Tensor y = x.get(0).mul(1.0);
            y.set(":, 1", x.get(1));
            return y;
        }, r(3, 4), r(3)));
        m.put("in-place chain", c(x -> {
            Tensor y = x.get(0).mul(2.0);
            y.add_(x.get(1));
            y.mul_(x.get(1));
            return y;
        }, r(3), r(3)));
        m.put("logSoftmax", c(x -> F.logSoftmax(x.get(0), 1), r(3, 4)));
        m.put("softmax", c(x -> F.softmax(x.get(0), 0), r(3, 4)));
        m.put("crossEntropy", c(x -> F.crossEntropy(x.get(0), Torch.tensor(new long[] {0, 2, 1})), r(3, 4)));
        m.put("multiMarginLoss", c(x -> F.multiMarginLoss(x.get(0), Torch.tensor(new long[] {0, 2, 1})), r(3, 4)));
        m.put("marginHinge", c(x -> F.marginHinge(x.get(0), Torch.tensor(new long[] {0, 2, 1}), 1.0), r(3, 4)));
        m.put("mse/l1", c(x -> F.mseLoss(x.get(0), x.get(1)).add(F.l1Loss(x.get(0), x.get(1))), r(5), r(5)));
        m.put("linear", c(x -> F.linear(x.get(0), x.get(1), x.get(2)), r(5, 3), r(2, 3), r(2)));
        m.put("linear 3-D input", c(x -> F.linear(x.get(0), x.get(1), x.get(2)), r(2, 4, 3), r(2, 3), r(2)));
        m.put("addmm column bias", c(x -> Torch.addmm(x.get(0), x.get(1), x.get(2)), r(4, 1), r(4, 3), r(3, 5)));
        m.put("addmmRelu", c(x -> x.get(0).addmmRelu(x.get(1), x.get(2)), r(5), r(4, 3), r(3, 5)));
        m.put("linearRelu 3-D input", c(x -> F.linearRelu(x.get(0), x.get(1), x.get(2)), r(2, 5, 3), r(4, 3), r(4)));
        m.put("addmm transposed", c(x -> Torch.addmm(x.get(0), x.get(1).t(), x.get(2)), r(5), r(3, 4), r(3, 5)));
        return m;
    }

    @TestFactory
    Stream<DynamicTest> everyOpMatchesFiniteDifferences() {
        return check(cases(), null);
    }

    /** The unary ops again, computed (forward and backward) by the CUDA backend on the simulated device. */
    @TestFactory
    Stream<DynamicTest> everyUnaryOpMatchesFiniteDifferencesOnTheSimulatedGpu() {
        io.flambeau.backend.cuda.SimCuda.install();
        Torch.manualSeed(42);
        return check(unaryCases(), io.flambeau.core.Device.cuda(0));
    }

    private static Stream<DynamicTest> check(Map<String, Case> cases, io.flambeau.core.Device device) {
        return cases.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Tensor[] inputs = e.getValue().inputs();
            if (device != null) inputs = java.util.Arrays.stream(inputs).map(t -> t.to(device)).toArray(Tensor[]::new);
            GradCheck.Result res = GradCheck.check(e.getValue().f(), inputs);
            assertTrue(res.ok(), e.getKey() + ": gradient differs from finite differences by " + res.maxError()
                    + " at " + res.where());
        }));
    }
}
