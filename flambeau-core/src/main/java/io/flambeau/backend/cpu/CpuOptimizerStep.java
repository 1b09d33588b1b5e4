package io.flambeau.backend.cpu;

import io.flambeau.backend.OptimizerStep;
import io.flambeau.backend.View;
import io.flambeau.core.DType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU's fused optimizer update ({@code Backend.fusedOptimizerStep}) for Adam and AdamW: one
 * pass over each parameter's elements instead of a dozen whole-tensor ops and their temporaries
 * (for the small parameters of a small network, the per-op bookkeeping costs more than the
 * arithmetic).
 *
 * <p>Each element follows the per-tensor ops of {@code io.flambeau.optim.AdamMoments} one for
 * one — same operations, same order, scalars rounded to the element type, no fused multiply-add —
 * so the update is bit for bit the unfused one. Other rules, and operands that are not dense
 * on-heap arrays of one float dtype, are declined: the optimizer then runs its per-tensor ops.
 */
final class CpuOptimizerStep {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private CpuOptimizerStep() {}

    /** Performs {@code s}, or returns false having touched nothing. */
    static boolean apply(OptimizerStep s) {
        if (s.rule() != OptimizerStep.Rule.ADAM || s.params().isEmpty()) return false;
        DType t = s.params().get(0).dtype();
        if (t != DType.FLOAT32 && t != DType.FLOAT64) return false;
        for (int i = 0; i < s.params().size(); i++) {
            View p = s.params().get(i);
            if (!plain(p, t, p.numel()) || !plain(s.grads().get(i), t, p.numel())) return false;
            View[] st = s.state().get(i);
            for (int k = 0; k < 3; k++) {
                boolean needed = k < 2 || s.flag("amsgrad");
                if (needed && (st.length <= k || !plain(st[k], t, p.numel()))) return false;
            }
        }
        Adam h = new Adam(s);
        for (int i = 0; i < s.params().size(); i++) {
            View[] st = s.state().get(i);
            View p = s.params().get(i), g = s.grads().get(i), m = st[0], v = st[1], mx = h.amsgrad ? st[2] : null;
            int n = (int) p.numel();
            if (t == DType.FLOAT32) {
                adam32(h, n, f(p), off(p), f(g), off(g), f(m), off(m), f(v), off(v), mx == null ? null : f(mx),
                        mx == null ? 0 : off(mx));
            } else {
                adam64(h, n, d(p), off(p), d(g), off(g), d(m), off(m), d(v), off(v), mx == null ? null : d(mx),
                        mx == null ? 0 : off(mx));
            }
        }
        return true;
    }

    /** The scalars of one Adam step, in double; each kernel rounds them to its element type. */
    private static final class Adam {
        final double stepSize, bc2Sqrt, beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, weightDecay, decay;
        final boolean maximize, amsgrad, decoupled;

        Adam(OptimizerStep s) {
            double lr = s.option("lr");
            beta1 = s.option("beta1");
            beta2 = s.option("beta2");
            stepSize = lr / (1 - Math.pow(beta1, s.step()));
            bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, s.step()));
            oneMinusBeta1 = 1 - beta1;
            oneMinusBeta2 = 1 - beta2;
            eps = s.option("eps");
            weightDecay = s.option("weight_decay");
            decoupled = s.flag("decoupled");
            decay = 1 - lr * weightDecay; // AdamW: p = p · (1 − lr · weight_decay)
            maximize = s.flag("maximize");
            amsgrad = s.flag("amsgrad");
        }
    }

    private static void adam32(Adam h, int n, float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo,
                               float[] mx, int xo) {
        float stepSize = (float) h.stepSize, bc2 = (float) h.bc2Sqrt, b1 = (float) h.beta1, c1 = (float) h.oneMinusBeta1,
                b2 = (float) h.beta2, c2 = (float) h.oneMinusBeta2, eps = (float) h.eps, wd = (float) h.weightDecay,
                decay = (float) h.decay;
        boolean l2 = !h.decoupled && h.weightDecay != 0;
        int i = 0;
        if (mx == null) {
            // whole vectors: the same IEEE operations lane by lane (sqrt and division correctly
            // rounded, no fma). Besides speed, a vector op takes one microcode assist for subnormal
            // operands where the scalar loop takes one per element — and a converged network's
            // squared gradients are often subnormal.
            FloatVector vb1 = FloatVector.broadcast(S, b1), vc1 = FloatVector.broadcast(S, c1),
                    vb2 = FloatVector.broadcast(S, b2), vc2 = FloatVector.broadcast(S, c2),
                    vbc2 = FloatVector.broadcast(S, bc2), veps = FloatVector.broadcast(S, eps),
                    vstep = FloatVector.broadcast(S, stepSize), vwd = FloatVector.broadcast(S, wd),
                    vdecay = FloatVector.broadcast(S, decay);
            for (int bound = S.loopBound(n); i < bound; i += S.length()) {
                FloatVector param = FloatVector.fromArray(S, p, po + i);
                if (h.decoupled) param = param.mul(vdecay);
                FloatVector d = FloatVector.fromArray(S, g, go + i);
                if (h.maximize) d = d.neg();
                if (l2) d = d.add(param.mul(vwd));
                FloatVector mi = FloatVector.fromArray(S, m, mo + i).mul(vb1).add(d.mul(vc1));
                mi.intoArray(m, mo + i);
                FloatVector vi = FloatVector.fromArray(S, v, vo + i).mul(vb2).add(d.mul(vc2).mul(d));
                vi.intoArray(v, vo + i);
                FloatVector denom = vi.sqrt().div(vbc2).add(veps);
                param.sub(mi.mul(vstep).div(denom)).intoArray(p, po + i);
            }
        }
        for (; i < n; i++) {
            float param = p[po + i];
            if (h.decoupled) param = param * decay;
            float d = h.maximize ? -g[go + i] : g[go + i];
            if (l2) d = d + param * wd;
            float mi = m[mo + i] * b1 + d * c1;
            m[mo + i] = mi;
            float vi = v[vo + i] * b2 + d * c2 * d;
            v[vo + i] = vi;
            float second = vi;
            if (mx != null) {
                float old = mx[xo + i];
                second = old != old || vi != vi ? old + vi : Math.max(old, vi); // NaN wins, as torch.maximum
                mx[xo + i] = second;
            }
            float denom = (float) Math.sqrt(second) / bc2 + eps;
            p[po + i] = param - mi * stepSize / denom;
        }
    }

    private static void adam64(Adam h, int n, double[] p, int po, double[] g, int go, double[] m, int mo, double[] v,
                               int vo, double[] mx, int xo) {
        boolean l2 = !h.decoupled && h.weightDecay != 0;
        for (int i = 0; i < n; i++) {
            double param = p[po + i];
            if (h.decoupled) param = param * h.decay;
            double d = h.maximize ? -g[go + i] : g[go + i];
            if (l2) d = d + param * h.weightDecay;
            double mi = m[mo + i] * h.beta1 + d * h.oneMinusBeta1;
            m[mo + i] = mi;
            double vi = v[vo + i] * h.beta2 + d * h.oneMinusBeta2 * d;
            v[vo + i] = vi;
            double second = vi;
            if (mx != null) {
                double old = mx[xo + i];
                second = old != old || vi != vi ? old + vi : Math.max(old, vi);
                mx[xo + i] = second;
            }
            double denom = Math.sqrt(second) / h.bc2Sqrt + h.eps;
            p[po + i] = param - mi * h.stepSize / denom;
        }
    }

    /** A dense view of {@code numel} elements of dtype {@code t} in an on-heap array. */
    private static boolean plain(View v, DType t, long numel) {
        if (v == null || v.dtype() != t || v.numel() != numel || !v.isContiguous()) return false;
        if (!(v.storage() instanceof CpuStorage s) || s.offHeap() || s.isClosed()) return false;
        return v.offset() + numel <= s.size() && numel <= Integer.MAX_VALUE - 8;
    }

    private static int off(View v) { return (int) v.offset(); }

    private static float[] f(View v) { return ((CpuStorage) v.storage()).f; }

    private static double[] d(View v) { return ((CpuStorage) v.storage()).d; }
}
