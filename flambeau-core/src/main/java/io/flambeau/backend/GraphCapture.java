package io.flambeau.backend;

/**
 * A backend that can record the work queued on its device and replay it as one launch (CUDA graphs).
 * Backends without this capability (the CPU) are refused by {@code Cuda.capture}.
 */
public interface GraphCapture {
    /**
     * Runs {@code body} with the device's queue capturing instead of executing, and returns what was
     * captured, ready to replay. Nothing of {@code body}'s device work has run when this returns.
     * When {@code body} throws, the capture is ended and discarded (the queue is usable again) and
     * the exception propagates.
     */
    CapturedGraph capture(Runnable body);

    /** Recorded device work. */
    interface CapturedGraph extends AutoCloseable {
        /** Queues the whole recorded work once (no host synchronisation). */
        void replay();

        boolean isClosed();

        /** Frees the graph and hands its private memory back; idempotent. */
        @Override
        void close();
    }
}
