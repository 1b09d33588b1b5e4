package io.flambeau.demo;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The demos {@link Main} knows, in the order the usage message lists them. Adding a demo is one
 * line here.
 */
public final class DemoRegistry {
    /**
     * A demo's command-line name, a one-line summary for the usage message, how to make it, and
     * the options it reads: any other is refused rather than silently ignored.
     */
    public record Entry(String name, String summary, Supplier<Demo> factory, List<String> options) {
        /** Throws when the command line gave an option this demo would ignore. */
        void checkOptions(DemoOptions given) {
            for (String option : given.given()) {
                if (!options.contains(option)) {
                    throw new UsageException("demo '" + name + "' does not use " + option + " ("
                            + (options.isEmpty() ? "it takes no options" : "its options: " + String.join(" ", options)) + ")");
                }
            }
        }
    }

    private static final List<String> FIGURES = List.of("--out", "--show", "--no-wait");

    private static final List<Entry> DEMOS = List.of(
            new Entry("tensors", "course 1.3-1.10: create, convert, index, slice, copy tensors; views", TensorsDemo::new,
                    List.of("--seed")),
            new Entry("broadcast", "course 2.1-2.8: broadcasting rules, examples, incompatible shapes", BroadcastDemo::new, List.of()),
            new Entry("neuron", "course 3.5-3.7: a neuron + ReLU over linspace(-2, 2, 50), then 3 hidden neurons", NeuronDemo::new,
                    with(FIGURES, "--seed")),
            new Entry("boolean", "course 4.4-4.5: learn \"!=\" by gradient descent, loop then vectorised", BooleanDemo::new,
                    with(FIGURES, "--iterations", "--lr")),
            new Entry("categories", "course 5.5: 10 points in 3 categories, Linear(2, 3), hinge error then margin", CategoriesDemo::new,
                    with(FIGURES, "--seed", "--iterations", "--lr", "--delta", "--draw-every", "--cuda-graph")),
            new Entry("optimizers", "course 5.1-5.3: SGD, momentum, Adagrad, RMSprop and Adam from the same start", OptimizersDemo::new,
                    with(FIGURES, "--seed", "--iterations", "--hidden", "--draw-every")),
            new Entry("spiral", "course 5.6: learn the 3-arm spiral with Linear+ReLU -> Linear and Adam", SpiralDemo::new,
                    with(FIGURES, "--seed", "--iterations", "--hidden", "--lr", "--draw-every", "--cuda-graph")),
            new Entry("spiral-ranks", "course 5.6 data-parallel: run under mpirun -np N, each rank trains on its shard",
                    DistributedSpiralDemo::new, List.of("--out", "--seed", "--iterations", "--hidden", "--lr")));

    private DemoRegistry() {}

    private static List<String> with(List<String> common, String... more) {
        return java.util.stream.Stream.concat(common.stream(), java.util.Arrays.stream(more)).toList();
    }

    public static List<Entry> all() {
        return DEMOS;
    }

    public static Optional<Entry> find(String name) {
        return DEMOS.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
