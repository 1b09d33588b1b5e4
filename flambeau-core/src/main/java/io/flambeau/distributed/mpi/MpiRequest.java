package io.flambeau.distributed.mpi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An {@code MPI_Request} of a started non-blocking collective. {@link #test()} asks MPI whether it
 * completed (and drives MPI's progress, which in Open MPI happens only inside MPI calls);
 * {@link #await(long)} polls until it completes or a deadline passes, never blocking inside MPI,
 * so that a rank that never arrives cannot hang the caller.
 */
public final class MpiRequest {
    /** Two small cells freed by the garbage collector: closing a shared arena per request would cost more than the call. */
    private final Arena arena = Arena.ofAuto();
    final MemorySegment handle;
    private final MemorySegment flag;
    private final String call;
    private boolean complete;

    /** For a request made of several ({@link #all}): the parts, in the order they were started; else null. */
    private final java.util.List<MpiRequest> parts;

    MpiRequest(String call) {
        this.call = call;
        this.handle = arena.allocate(MpiLibrary.get().handles().layout());
        this.flag = arena.allocate(ValueLayout.JAVA_INT);
        this.parts = null;
    }

    private MpiRequest(java.util.List<MpiRequest> parts) {
        this.call = parts.getFirst().call + " (" + parts.size() + " calls)";
        this.handle = null;
        this.flag = null;
        this.parts = java.util.List.copyOf(parts);
    }

    /**
     * One request that completes when every one of {@code parts} has (a collective issued in
     * chunks, each an MPI call of at most an int's count of elements); one part is itself.
     */
    public static MpiRequest all(java.util.List<MpiRequest> parts) {
        return parts.size() == 1 ? parts.getFirst() : new MpiRequest(parts);
    }

    /** The C function that started it ("MPI_Iallreduce"). */
    public String call() { return call; }

    /** True once the collective completed; its buffers may then be read and freed. */
    public boolean test() {
        if (complete) return true;
        if (parts != null) {
            boolean all = true;
            for (MpiRequest p : parts) all &= p.test(); // test every part: each test drives MPI's progress
            return complete = all;
        }
        synchronized (Mpi.LOCK) {
            if (complete) return true;
            MpiStatus.check(Mpi_h.MPI_Test(handle, flag, MemorySegment.ofAddress(MpiLibrary.get().handles().statusIgnore())),
                    "MPI_Test", "testing " + call);
            if (flag.get(ValueLayout.JAVA_INT, 0) != 0) {
                complete = true;
            }
            return complete;
        }
    }

    /**
     * Polls until complete (true) or until {@code System.nanoTime()} passes {@code deadlineNanos}
     * (false). Open MPI moves a large message only inside MPI calls, so polling stays tight (with
     * {@link Thread#yield()} between tests, which lets a rank sharing the core run) for the first
     * second, as MPI's own blocking calls poll; then short sleeps, for a rank that is far behind.
     */
    public boolean await(long deadlineNanos) {
        long start = System.nanoTime();
        while (true) {
            if (test()) return true;
            long now = System.nanoTime();
            if (now - deadlineNanos > 0) return false;
            long waited = now - start;
            if (waited < 50_000) Thread.onSpinWait();
            else if (waited < 1_000_000_000L) Thread.yield();
            else java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
