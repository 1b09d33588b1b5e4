package io.flambeau.demo;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The options shared by every demo. Each demo reads the ones that make sense for it and picks its
 * own default for a training setting left out, so one command-line syntax serves all of them.
 *
 * @param out        folder for PNG files
 * @param show       also show figures in a window when a display is available
 * @param iterations training iterations, when given
 * @param seed       seed of the global random generator
 * @param hidden     size of a hidden layer, when given
 * @param lr         learning rate, when given
 * @param delta      margin δ of the hinge error, when given
 * @param drawEvery  iterations between two redraws of a training figure, when given
 * @param noWait     end when the demo ends instead of waiting for its windows to be closed
 * @param given      the options the command line named, such as {@code "--hidden"}, so that one a
 *                   demo would ignore can be refused
 * @param cudaGraph  capture the training step once as a CUDA graph and replay it (CUDA devices only)
 */
public record DemoOptions(Path out, boolean show, OptionalInt iterations, long seed, OptionalInt hidden, OptionalDouble lr,
        OptionalDouble delta, OptionalInt drawEvery, boolean noWait, Set<String> given, boolean cudaGraph) {
    /** Options that take a value. */
    static final List<String> VALUED = List.of("--out", "--iterations", "--seed", "--hidden", "--lr", "--delta", "--draw-every");
    /** Options that are flags. */
    static final List<String> FLAGS = List.of("--show", "--no-wait", "--cuda-graph");

    public static final Path DEFAULT_OUT = Path.of("out");
    public static final long DEFAULT_SEED = 0;

    /** One line per option, for the usage message. */
    public static final List<String> HELP = List.of(
            "--out DIR         folder for PNG files (default out/)",
            "--show            also show figures in a live window when a display is available",
            "--no-wait         with --show: end with the demo instead of waiting for its windows to be closed",
            "--iterations N    training iterations (each training demo has its own default)",
            "--seed N          seed of the random generator (default 0)",
            "--hidden N        hidden layer size, for demos with a hidden layer",
            "--lr X            learning rate (each training demo has its own default)",
            "--delta X         margin of the hinge error, for the categories demo (default 1)",
            "--draw-every N    redraw the training figure every N iterations (each demo has its own default)",
            "--cuda-graph      capture the training step once as a CUDA graph and replay it (spiral, categories;",
            "                  on the CPU it is ignored, with one line saying so)",
            "--help            print this message");

    public static DemoOptions defaults() {
        return new DemoOptions(DEFAULT_OUT, false, OptionalInt.empty(), DEFAULT_SEED, OptionalInt.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalInt.empty(), false, Set.of(), false);
    }

    public int iterationsOr(int fallback) {
        return iterations.orElse(fallback);
    }

    public int hiddenOr(int fallback) {
        return hidden.orElse(fallback);
    }

    public double lrOr(double fallback) {
        return lr.orElse(fallback);
    }

    public double deltaOr(double fallback) {
        return delta.orElse(fallback);
    }

    public int drawEveryOr(int fallback) {
        return drawEvery.orElse(fallback);
    }

    /**
     * Parses the options after the demo name. Values come as {@code --name VALUE} or
     * {@code --name=VALUE}; {@code --help} is handled by {@link Main} before this is called.
     *
     * @throws UsageException for an unknown option or a missing or malformed value
     */
    public static DemoOptions parse(List<String> args) {
        Path out = DEFAULT_OUT;
        boolean show = false;
        OptionalInt iterations = OptionalInt.empty();
        long seed = DEFAULT_SEED;
        OptionalInt hidden = OptionalInt.empty();
        OptionalDouble lr = OptionalDouble.empty();
        OptionalDouble delta = OptionalDouble.empty();
        OptionalInt drawEvery = OptionalInt.empty();
        boolean noWait = false;
        Set<String> given = new LinkedHashSet<>();
        boolean cudaGraph = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inlineValue = arg.substring(eq + 1);
            }
            if (FLAGS.contains(name)) {
                if (inlineValue != null) throw new UsageException(name + " takes no value");
                if (name.equals("--show")) show = true;
                else if (name.equals("--no-wait")) noWait = true;
                else cudaGraph = true;
                given.add(name);
                continue;
            }
            if (!VALUED.contains(name)) {
                throw new UsageException("unknown option '" + arg + "'");
            }
            given.add(name);
            String value = inlineValue;
            if (value == null) {
                if (i + 1 >= args.size()) throw new UsageException(name + " needs a value");
                value = args.get(++i);
            }
            switch (name) {
                case "--out" -> {
                    if (value.isBlank()) throw new UsageException("--out needs a folder name");
                    out = Path.of(value);
                }
                case "--iterations" -> iterations = OptionalInt.of(positiveInt(name, value));
                case "--seed" -> seed = parseLong(name, value);
                case "--hidden" -> hidden = OptionalInt.of(positiveInt(name, value));
                case "--lr" -> lr = OptionalDouble.of(positiveDouble(name, value));
                case "--delta" -> delta = OptionalDouble.of(positiveDouble(name, value));
                case "--draw-every" -> drawEvery = OptionalInt.of(positiveInt(name, value));
                default -> throw new IllegalStateException(name);
            }
        }
        return new DemoOptions(out, show, iterations, seed, hidden, lr, delta, drawEvery, noWait, Set.copyOf(given), cudaGraph);
    }

    private static int positiveInt(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // reported below, with the option's name
        }
        throw new UsageException(name + " expects a positive integer, got '" + value + "'");
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects an integer, got '" + value + "'");
        }
    }

    private static double positiveDouble(String name, String value) {
        try {
            double x = Double.parseDouble(value.trim());
            if (x > 0 && Double.isFinite(x)) return x;
        } catch (NumberFormatException e) {
            // reported below, with the option's name
        }
        throw new UsageException(name + " expects a positive number, got '" + value + "'");
    }
}
