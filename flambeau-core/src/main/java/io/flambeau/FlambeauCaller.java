package io.flambeau;

/**
 * The check behind {@link HostArrayAccess} and {@link HostMemoryAccess}: both must be public (the
 * process group in another package uses them) yet lend a storage's own memory, which only
 * Flambeau's code may touch, so each refuses a caller outside Flambeau's packages.
 */
final class FlambeauCaller {
    private FlambeauCaller() {}

    /** The access methods' {@code WALKER.getCallerClass()} is the class that called them. */
    static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /**
     * Throws {@link IllegalCallerException} unless {@code caller} (the class that called
     * {@code access}'s method) belongs to a Flambeau package; {@code instead} says what a user calls
     * instead.
     */
    static void require(String op, String access, Class<?> caller, String instead) {
        String pkg = caller.getPackageName();
        if (!pkg.equals("io.flambeau") && !pkg.startsWith("io.flambeau.")) {
            throw new IllegalCallerException(op + ": " + access + " is internal to Flambeau (called from "
                    + caller.getName() + "); " + instead);
        }
    }
}
