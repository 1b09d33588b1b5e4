package io.flambeau.backend.cuda.sim;

/** One block of simulated device memory: {@code [base, base + size)} backed by a Java array. */
final class Allocation {
    final long base;
    final int size;
    final byte[] data;
    /** How it came to be, for messages: "cuMemAlloc #12" or "module variable 'table'". */
    final String label;
    /** Made by cuMemAlloc (as opposed to a module variable). */
    final boolean user;

    Allocation(long base, int size, String label, boolean user) {
        this.base = base;
        this.size = size;
        this.data = new byte[size];
        this.label = label;
        this.user = user;
    }

    /** An allocation no address falls in: the initial value of access caches. */
    static Allocation none() {
        return new Allocation(Long.MAX_VALUE / 2, 0, "none", false);
    }

    @Override
    public String toString() {
        return label + " at 0x" + Long.toHexString(base) + " (" + size + " bytes)";
    }
}
