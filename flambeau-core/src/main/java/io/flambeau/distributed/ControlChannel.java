package io.flambeau.distributed;

/**
 * How the ranks of a group agree before data moves: the header every collective starts with
 * ({@link CollectiveHeader}) and the NCCL id of a new communicator are all-gathered through it.
 * MPI groups use MPI ({@link MpiControlChannel}); a group made by the env rendezvous uses its
 * TCP store ({@code TcpStore}). It carries these few words only, never tensor data.
 */
interface ControlChannel extends AutoCloseable {
    /**
     * Every rank's {@code mine} (all of one length), in rank order, or null when {@code deadlineNanos}
     * ({@link System#nanoTime()}) passes first: a rank died, hangs or calls something else.
     */
    long[] allGather(long[] mine, long deadlineNanos);

    /** After a null {@link #allGather}: which ranks had not arrived, when the channel knows, for messages. */
    default String missing() { return null; }

    @Override
    void close();
}
