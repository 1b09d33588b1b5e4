package io.flambeau.golden;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.nn.F;

import io.flambeau.backend.UnaryOp;
import io.flambeau.testutil.OpNames;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Maps the op names of golden/ops.jsonl (PyTorch's) to Flambeau calls. */
final class GoldenOps {
    private GoldenOps() {}

    static Tensor apply(String op, Map<String, Object> kw, List<Tensor> in) {
        Tensor a = in.get(0);
        Tensor b = in.size() > 1 ? in.get(1) : null;
        return switch (op) {
            case "add" -> a.add(b);
            case "sub" -> a.sub(b);
            case "mul" -> a.mul(b);
            case "div" -> a.div(b);
            case "pow" -> a.pow(b);
            case "maximum" -> a.maximum(b);
            case "minimum" -> a.minimum(b);
            case "eq" -> a.eq(b);
            case "ne" -> a.ne(b);
            case "lt" -> a.lt(b);
            case "le" -> a.le(b);
            case "gt" -> a.gt(b);
            case "ge" -> a.ge(b);
            case "gelu" -> F.gelu(a, (String) kw.getOrDefault("approximate", "none"));
            case "leaky_relu" -> a.leakyRelu(num(kw, "negative_slope"));
            case "clamp" -> a.clamp(kw.containsKey("min") ? num(kw, "min") : Double.NaN,
                    kw.containsKey("max") ? num(kw, "max") : Double.NaN);
            case "mul_scalar" -> a.mul(num(kw, "value"));
            case "add_scalar" -> a.add(num(kw, "value"));
            case "rsub_scalar" -> a.rsub(num(kw, "value"));
            case "pow_scalar" -> a.pow(num(kw, "value"));
            case "sum" -> kw.containsKey("dim") ? a.sum(lng(kw, "dim"), bool(kw, "keepdim")) : a.sum();
            case "mean" -> kw.containsKey("dim") ? a.mean(lng(kw, "dim"), bool(kw, "keepdim")) : a.mean();
            case "max" -> kw.containsKey("dim") ? a.max(lng(kw, "dim"), bool(kw, "keepdim")).values() : a.max();
            case "min" -> kw.containsKey("dim") ? a.min(lng(kw, "dim"), bool(kw, "keepdim")).values() : a.min();
            case "argmax" -> kw.containsKey("dim") ? a.argmax(lng(kw, "dim"), bool(kw, "keepdim")) : a.argmax();
            case "matmul" -> a.matmul(b);
            case "linear" -> F.linear(a, b, in.size() > 2 ? in.get(2) : null);
            case "t" -> a.t();
            case "cross_entropy" -> F.crossEntropy(a, b);
            case "multi_margin_loss" -> F.multiMarginLoss(a, b);
            case "log_softmax" -> F.logSoftmax(a, lng(kw, "dim"));
            case "softmax" -> F.softmax(a, lng(kw, "dim"));
            case "mse_loss" -> F.mseLoss(a, b);
            case "l1_loss" -> F.l1Loss(a, b);
            case "course_hinge" -> F.marginHinge(a, b, num(kw, "delta"));
            case "reshape" -> ("t".equals(kw.get("before")) ? a.t() : a).reshape(longs(kw, "shape"));
            case "unsqueeze" -> a.unsqueeze(lng(kw, "dim"));
            case "squeeze" -> a.squeeze();
            case "permute" -> a.permute(ints(kw, "dims"));
            case "expand" -> a.expand(longs(kw, "shape"));
            case "cat" -> Torch.cat(in, lng(kw, "dim"));
            case "stack" -> Torch.stack(in, lng(kw, "dim"));
            case "index", "index_list" -> a.get(pythonIndex((String) kw.get("spec")));
            case "index_tensors" -> a.get(in.get(1), in.get(2));
            case "index_mask" -> throw new IllegalStateException("index_mask is handled by the test");
            default -> definedUnary(op, kw, a);
        };
    }

    /**
     * A unary op without parameters, found from its definition ({@link UnaryOp#torchName()}) and called through
     * the public {@code Tensor} method of the same name in camel case ({@code log1p()}, {@code logical_not} →
     * {@code logicalNot()}): a newly defined op needs only its recorded cases.
     */
    private static Tensor definedUnary(String op, Map<String, Object> kw, Tensor a) {
        boolean defined = Arrays.stream(UnaryOp.values()).anyMatch(u -> u.torchName().equals(op));
        if (!defined || !kw.isEmpty()) throw new IllegalArgumentException("no mapping for golden op " + op + " " + kw);
        try {
            return (Tensor) Tensor.class.getMethod(OpNames.javaMethod(op)).invoke(a);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("golden op " + op + " is defined but Tensor has no " + OpNames.javaMethod(op) + "()", e);
        }
    }


    /** "[0,1:]" → items; "[[0,2,3]]" → an index list. */
    static Object[] pythonIndex(String spec) {
        String body = spec.substring(1, spec.length() - 1).trim();
        if (body.startsWith("[")) {
            String[] parts = body.substring(1, body.length() - 1).split(",");
            long[] idx = new long[parts.length];
            for (int i = 0; i < parts.length; i++) idx[i] = Long.parseLong(parts[i].trim());
            return new Object[] {idx};
        }
        List<Object> items = new ArrayList<>();
        for (String p : body.split(",")) items.add(p.trim());
        return items.toArray();
    }

    static double num(Map<String, Object> kw, String k) { return ((Number) kw.get(k)).doubleValue(); }

    static long lng(Map<String, Object> kw, String k) { return ((Number) kw.get(k)).longValue(); }

    static boolean bool(Map<String, Object> kw, String k) { return Boolean.TRUE.equals(kw.get(k)); }

    static long[] longs(Map<String, Object> kw, String k) {
        return ((List<?>) kw.get(k)).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
    }

    static int[] ints(Map<String, Object> kw, String k) {
        return ((List<?>) kw.get(k)).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }

}
