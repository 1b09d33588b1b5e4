package io.flambeau.demo;

import io.flambeau.Torch;
import io.flambeau.demo.plot.Display;

import java.io.Console;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Runs one course demo: {@code Main NAME [options]}, usually through the launcher,
 * {@code ./flambeau NAME --iterations 50}. Exit codes: 0 done,
 * 1 the demo failed, 2 the command line was wrong (the usage message says what is accepted).
 */
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private Main() {}

    public static void main(String[] args) {
        Console console = System.console();
        // Since JDK 22 System.console() exists even when output is redirected; isTerminal tells the two apart.
        boolean terminal = console != null && console.isTerminal();
        int code = run(args, System.out, System.err, terminal);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the command line {@code args} without exiting the JVM; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        List<String> list = Arrays.asList(args);
        if (list.contains("--help") || list.contains("-h")) {
            out.print(usage());
            return OK;
        }
        DemoRegistry.Entry entry;
        DemoOptions options;
        try {
            if (list.isEmpty() || list.getFirst().isBlank()) throw new UsageException("no demo named");
            String name = list.getFirst();
            entry = DemoRegistry.find(name).orElseThrow(() -> new UsageException("unknown demo '" + name + "'"));
            options = DemoOptions.parse(list.subList(1, list.size()));
            entry.checkOptions(options);
        } catch (UsageException e) {
            if (list.isEmpty()) {
                err.print(usage());
            } else {
                err.println("error: " + e.getMessage());
                err.println("--help lists the demos and their options");
            }
            return USAGE;
        }
        if (entry.options().contains("--out")) {
            Optional<String> problem = OutputFolder.problem(options.out());
            if (problem.isPresent()) {
                err.println("error: " + problem.get());
                return USAGE;
            }
        }
        // Before anything is drawn: a run without a usable display draws its PNGs headless.
        Optional<String> noWindow = Display.choose(options.show());
        try {
            out.println("Flambeau demo '" + entry.name() + "' on device " + Torch.defaultDevice());
            noWindow.ifPresent(why -> out.println("--show: no window, " + why + "; the figures are written as PNG files only"));
            Torch.manualSeed(options.seed());
            Windows windows = new Windows(options.show() && noWindow.isEmpty());
            entry.factory().get().run(new DemoContext(options, out, terminal, windows));
            windows.finish(out, !options.noWait());
            return OK;
        } catch (Exception e) {
            out.flush();
            err.println("demo '" + entry.name() + "' failed: " + e);
            e.printStackTrace(err);
            return FAILED;
        }
    }

    /** The usage message: the command forms, every registered demo and every option. */
    public static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: ./flambeau DEMO [options]\n");
        sb.append("   or: java -jar target/flambeau-demos.jar DEMO [options]\n");
        sb.append("also: ./flambeau doctor (what Flambeau finds on this machine), ./flambeau repl (JShell)\n\n");
        sb.append("demos:\n");
        for (DemoRegistry.Entry e : DemoRegistry.all()) {
            sb.append(String.format("  %-12s %s\n", e.name(), e.summary()));
            sb.append(String.format("  %-12s   options: %s\n", "", e.options().isEmpty() ? "none" : String.join(" ", e.options())));
        }
        sb.append("\noptions:\n");
        for (String line : DemoOptions.HELP) sb.append("  ").append(line).append('\n');
        return sb.toString();
    }
}
