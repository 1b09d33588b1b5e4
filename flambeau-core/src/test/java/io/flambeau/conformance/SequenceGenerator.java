package io.flambeau.conformance;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.Device;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Builds a random {@link Program} from a seed. Each candidate step is executed on the CPU as it is
 * generated, so the op families choose their operands from real shapes and dtypes; a step that
 * throws stays in the program (the other backend must throw the same), but defines nothing later
 * steps could use. Tracks which variables went through a rounding-dependent operation.
 */
final class SequenceGenerator {
    /** At most this many elements per generated tensor: the simulator is an interpreter. */
    static final long MAX_ELEMENTS = 64;

    final Random rnd;
    /** Whether inputs of this program require grad, and the program ends with a backward pass. */
    final boolean tracksGrad;
    /** The floating dtype of this program's float inputs. */
    final DType floatType;
    private final Workspace cpu = new Workspace(Device.CPU);
    private final List<Step> steps = new ArrayList<>();
    private final Set<String> inexact = new HashSet<>();
    private int next;
    private int refused;

    private SequenceGenerator(long seed) {
        // java.util.Random's first draws barely differ between nearby seeds: mix the seed first
        rnd = new Random(new SplittableRandom(seed).nextLong());
        tracksGrad = rnd.nextInt(2) == 0;
        floatType = rnd.nextInt(6) == 0 ? DType.FLOAT64 : DType.FLOAT32;
    }

    /** The program for {@code seed}: a few inputs, 4 to 11 random operations, then a backward pass when it tracks gradients. */
    static Program generate(long seed) {
        SequenceGenerator g = new SequenceGenerator(seed);
        int inputs = 1 + g.rnd.nextInt(2);
        for (int i = 0; i < inputs; i++) g.input(g.randomShape(), g.randomDType(), g.tracksGrad && g.rnd.nextInt(3) > 0);
        List<OpFamily> families = OpFamily.ALL;
        int ops = 4 + g.rnd.nextInt(8);
        for (int done = 0, tries = 0; done < ops && tries < 100; tries++) {
            if (families.get(g.rnd.nextInt(families.size())).emit(g)) done++;
        }
        if (g.tracksGrad) Backward.emit(g);
        return new Program(seed, List.copyOf(g.steps), Set.copyOf(g.inexact), g.refused);
    }

    // ---- what the op families read ----------------------------------------------------------

    /** The CPU value of a variable, for its shape, dtype and autograd state. */
    Tensor value(String name) {
        return cpu.get(name);
    }

    /** A random variable whose CPU value satisfies {@code p}, or null. */
    String pick(Predicate<Tensor> p) {
        List<String> ok = new ArrayList<>();
        for (String n : cpu.names()) if (p.test(cpu.get(n))) ok.add(n);
        if (ok.isEmpty()) return null;
        // the latest variables more often, so that operations chain
        int i = ok.size() - 1 - Math.min(ok.size() - 1, (int) Math.abs(rnd.nextGaussian() * ok.size() / 2.0));
        return ok.get(i);
    }

    /** The name of a variable, from its CPU value. */
    String nameOf(Tensor t) {
        for (String n : cpu.names()) if (cpu.get(n) == t) return n;
        throw new IllegalArgumentException("not a variable of this program");
    }

    /** The generation run itself, for index items that name variables. */
    Workspace workspace() {
        return cpu;
    }

    boolean exact(String... names) {
        for (String n : names) if (inexact.contains(n)) return false;
        return true;
    }

    String fresh() {
        return "t" + next++;
    }

    // ---- what the op families write ---------------------------------------------------------

    /**
     * {@code Tensor tN = expr;}: defines a new variable. {@code opExact} says whether the operation
     * itself rounds the same on every backend; the result is exact only if its inputs are too.
     * Returns the new name, or null when the step threw on the CPU.
     */
    String define(String expr, Function<Workspace, Tensor> f, boolean opExact, String... inputs) {
        String name = fresh();
        boolean exact = opExact && exact(inputs);
        Step step = new Step("Tensor " + name + " = " + expr + ";", w -> w.put(name, f.apply(w)), List.of(inputs), List.of(name),
                exact);
        return emit(step) ? name : null;
    }

    /**
     * An in-place statement writing into {@code target}. If what it writes is not exact, every
     * variable sharing the target's memory is no longer exact either.
     */
    boolean mutate(String java, Step.Action action, String target, boolean opExact, String... inputs) {
        boolean exact = opExact && exact(inputs) && exact(target);
        List<String> read = new ArrayList<>(List.of(inputs));
        read.add(target);
        if (!emit(new Step(java, action, read, List.of(target), exact))) return false;
        if (!exact) {
            Tensor t = cpu.get(target);
            for (String n : cpu.names()) if (cpu.get(n).sharesStorageWith(t)) inexact.add(n);
        }
        return true;
    }

    /** Adds a step and runs it on the CPU; true when it succeeded there. */
    boolean emit(Step step) {
        steps.add(step);
        // before running: a step may define a variable and then throw (a backward pass through a stale saved tensor)
        if (!step.exact()) inexact.addAll(step.observed());
        try {
            step.action().run(cpu);
        } catch (RuntimeException e) {
            refused++;
            return false;
        }
        return true;
    }

    // ---- inputs -----------------------------------------------------------------------------

    /** A new leaf tensor of random values: {@code Torch.tensor(new float[] {...}, DType.FLOAT32, device).reshape(...)}. */
    String input(long[] shape, DType dtype, boolean requiresGrad) {
        int n = (int) numel(shape);
        Object values = switch (dtype) {
            case FLOAT32 -> { double[] d = floats(n); float[] f = new float[n]; for (int i = 0; i < n; i++) f[i] = (float) d[i]; yield f; }
            case FLOAT64 -> floats(n);
            case INT64 -> { long[] l = new long[n]; for (int i = 0; i < n; i++) l[i] = rnd.nextInt(11) - 5; yield l; }
            case BOOL -> { boolean[] b = new boolean[n]; for (int i = 0; i < n; i++) b[i] = rnd.nextBoolean(); yield b; }
        };
        boolean grad = requiresGrad && dtype.isFloating();
        String expr = "Torch.tensor(" + JavaText.array(dtype, values) + ", DType." + dtype.name() + ", device)"
                + (shape.length == 1 ? "" : ".reshape(" + JavaText.args(shape) + ")") + (grad ? ".requiresGrad_()" : "");
        return define(expr, w -> {
            Tensor t = Torch.tensor(values, dtype, w.device);
            if (shape.length != 1) t = t.reshape(shape);
            return grad ? t.requiresGrad_() : t;
        }, true);
    }

    /**
     * Small multiples of 1/4 (exact sums, ties for max and comparisons) or arbitrary values in
     * (-2, 2) that float32 holds exactly; now and then a NaN, an infinity or a negative zero.
     */
    private double[] floats(int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = rnd.nextInt(3) == 0 ? (rnd.nextInt(17) - 8) / 4.0 : (float) (rnd.nextDouble() * 4 - 2);
        if (n > 0 && rnd.nextInt(12) == 0) {
            double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0};
            d[rnd.nextInt(n)] = special[rnd.nextInt(special.length)];
        }
        return d;
    }

    DType randomDType() {
        int r = rnd.nextInt(10);
        return r < 7 ? floatType : r < 9 ? DType.INT64 : DType.BOOL;
    }

    /** Rank 0 to 4, sizes mostly 1 to 4, now and then 0, at most {@link #MAX_ELEMENTS} elements. */
    long[] randomShape() {
        int[] ranks = {0, 1, 1, 2, 2, 2, 3, 3, 4, 4};
        return randomShape(ranks[rnd.nextInt(ranks.length)]);
    }

    long[] randomShape(int rank) {
        long[] s = new long[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            int r = rnd.nextInt(40);
            long size = r == 0 ? 0 : r < 10 ? 1 : 2 + rnd.nextInt(3);
            if (n * size > MAX_ELEMENTS) size = 1;
            s[i] = size;
            n *= Math.max(size, 1);
        }
        return s;
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }
}
