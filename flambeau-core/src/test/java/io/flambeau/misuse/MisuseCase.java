package io.flambeau.misuse;

import java.util.List;

/**
 * One misuse of the public API: what a user writes, the error Flambeau must give, the facts its
 * message must contain (op, shapes, values, the fix), and what PyTorch 1.13 does with the same
 * mistake. {@code pytorch} is a note for readers: the words PyTorch raises, or where Flambeau
 * deliberately differs (each difference is listed in the README's "Errors" section).
 */
record MisuseCase(String name, Misuse code, Class<? extends Throwable> type, List<String> facts, String pytorch) {

    /** The misuse itself; it may throw anything, which is what the corpus checks. */
    @FunctionalInterface
    interface Misuse {
        void run() throws Exception;
    }

    static MisuseCase of(String name, Class<? extends Throwable> type, String pytorch, Misuse code, String... facts) {
        return new MisuseCase(name, code, type, List.of(facts), pytorch);
    }

    @Override
    public String toString() { return name; }
}
