package io.flambeau.distributed;

import io.flambeau.core.DistributedTimeoutException;
import io.flambeau.distributed.mpi.MpiRequest;
import io.flambeau.distributed.mpi.NativeBuffer;

import java.util.List;

/**
 * A collective in flight (PyTorch's {@code Work}), returned by the {@code ...Async} forms.
 * {@link #waitFor()} returns once this rank's part is done and its results are in the caller's
 * tensors; it fails with a {@link DistributedTimeoutException} when the group's timeout passes
 * first. Until then the tensors must not be read or written.
 *
 * <pre>{@code
 * Work w = group.allReduceAsync(grad, ReduceOp.SUM);
 * // ... other work that does not touch grad ...
 * w.waitFor();   // grad now holds the sum
 * }</pre>
 */
public final class Work {
    private final ProcessGroup group;
    private final String collective;
    private final MpiRequest request;
    private final List<NativeBuffer> buffers;
    private final Runnable onComplete;
    private final long deadlineNanos;
    private boolean done;
    private RuntimeException failure;

    Work(ProcessGroup group, String collective, MpiRequest request, List<NativeBuffer> buffers, Runnable onComplete,
         long deadlineNanos) {
        this.group = group;
        this.collective = collective;
        this.request = request;
        this.buffers = buffers;
        this.onComplete = onComplete;
        this.deadlineNanos = deadlineNanos;
    }

    /** Whether the collective completed (results are written by {@link #waitFor()}, not here). */
    public synchronized boolean isCompleted() {
        return done || request == null || request.test();
    }

    /** Waits for the collective and writes its results into the caller's tensors. Calling it again does nothing. */
    public synchronized void waitFor() {
        if (failure != null) throw failure;
        if (done) return;
        if (request != null && !request.await(deadlineNanos)) {
            buffers.forEach(NativeBuffer::abandon); // MPI may still write into them
            failure = group.timedOut(collective, "the data exchange");
            throw failure;
        }
        try {
            if (onComplete != null) onComplete.run();
        } finally {
            done = true;
            buffers.forEach(NativeBuffer::close);
        }
    }

    @Override
    public String toString() { return "Work(" + collective + " on " + group + (done ? ", done)" : ")"); }
}
