package io.flambeau.misuse;

import io.flambeau.demo.DemoOptions;
import io.flambeau.demo.UsageException;

import java.util.List;

import static io.flambeau.misuse.MisuseCase.of;

/**
 * The course demos' command line. Its errors are {@link UsageException}s (a command-line error,
 * exit code 2), not tensor errors; the course's Python scripts have no options, so PyTorch's
 * column says what argparse would print.
 */
final class DemoMisuse {
    private DemoMisuse() {}

    private static final String ARGPARSE = "argparse: error: ";

    static List<MisuseCase> cases() {
        return List.of(
                of("demo option that does not exist", UsageException.class, ARGPARSE + "unrecognized arguments: --speed",
                        () -> DemoOptions.parse(List.of("--speed", "2")),
                        "unknown option '--speed'"),
                of("demo option without its value", UsageException.class, ARGPARSE + "argument --iterations: expected one argument",
                        () -> DemoOptions.parse(List.of("--iterations")),
                        "--iterations needs a value"),
                of("demo iterations not a number", UsageException.class, ARGPARSE + "argument --iterations: invalid int value: 'ten'",
                        () -> DemoOptions.parse(List.of("--iterations", "ten")),
                        "--iterations", "positive integer", "'ten'"),
                of("demo iterations zero", UsageException.class, ARGPARSE + "no counterpart (argparse accepts 0)",
                        () -> DemoOptions.parse(List.of("--iterations=0")),
                        "--iterations", "positive integer", "'0'"),
                of("demo learning rate negative", UsageException.class, ARGPARSE + "no counterpart (argparse accepts -1)",
                        () -> DemoOptions.parse(List.of("--lr", "-1")),
                        "--lr", "positive number", "'-1'"),
                of("demo show with a value", UsageException.class, ARGPARSE + "argument --show: ignored explicit argument 'yes'",
                        () -> DemoOptions.parse(List.of("--show=yes")),
                        "--show takes no value"),
                of("demo seed not an integer", UsageException.class, ARGPARSE + "argument --seed: invalid int value: '1.5'",
                        () -> DemoOptions.parse(List.of("--seed", "1.5")),
                        "--seed", "integer", "'1.5'"),
                of("demo output folder empty", UsageException.class, ARGPARSE + "no counterpart",
                        () -> DemoOptions.parse(List.of("--out=")),
                        "--out", "folder name")
        );
    }
}
