package io.flambeau.distributed;

import io.flambeau.core.DistributedException;
import io.flambeau.core.DistributedTimeoutException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The env rendezvous' store (torch.distributed's {@code TCPStore}, reduced to what Flambeau needs):
 * rank 0 listens on {@code FLAMBEAU_MASTER_ADDR:FLAMBEAU_MASTER_PORT}, every rank connects to it,
 * and the one operation is an all-gather of a few longs per rank: the join (rank, world size),
 * the header that starts every collective and the NCCL id. It carries no tensor data: collectives
 * run on NCCL. A round that some rank does not reach within the timeout ends, on every rank that
 * did, in a {@link DistributedTimeoutException} naming the ranks that did not arrive.
 *
 * <p>Wire format (big-endian, one connection per rank): the client sends {@code MAGIC, rank,
 * worldSize} once, then per round {@code round, n, n longs}; the server answers {@code 0, the
 * world's n·size longs} or {@code 1, message} (an error or the absent ranks).
 */
final class TcpStore implements ControlChannel {
    private static final int MAGIC = 0x464c4253; // "FLBS"

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final Server server; // on rank 0
    private final String address;
    private long round;
    private volatile String absent;

    private TcpStore(Socket socket, Server server, String address) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
        this.out = new DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream()));
        this.server = server;
        this.address = address;
    }

    /**
     * Joins the rendezvous at {@code host:port} as {@code rank} of {@code worldSize} (rank 0 starts
     * the server); returns once every rank joined, or throws a timeout naming those that did not.
     */
    static TcpStore join(String host, int port, int rank, int worldSize, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String address = host + ":" + port;
        Server server = null;
        if (rank == 0) {
            try {
                server = new Server(new ServerSocket(port, 128), worldSize, timeout);
            } catch (IOException e) {
                throw new DistributedException("env rendezvous: rank 0 cannot listen on port " + port + " (" + e.getMessage()
                        + "); set FLAMBEAU_MASTER_PORT to a free port, the same on every rank");
            }
        }
        Socket socket = connect(host, port, deadline, rank, address, timeout);
        try {
            TcpStore store = new TcpStore(socket, server, address);
            store.out.writeInt(MAGIC);
            store.out.writeInt(rank);
            store.out.writeInt(worldSize);
            store.out.flush();
            long[] ranks;
            try {
                ranks = store.allGather(new long[] {rank}, deadline);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            if (ranks == null) {
                store.close();
                throw new DistributedTimeoutException("env rendezvous at " + address + ": rank " + rank + " waited "
                        + ProcessGroup.describe(timeout) + " for the " + worldSize + " ranks of FLAMBEAU_WORLD_SIZE to join; "
                        + store.missing() + ". Start every rank with FLAMBEAU_RANK 0 .. " + (worldSize - 1)
                        + ", or set a longer timeout");
            }
            return store;
        } catch (IOException e) {
            if (server != null) server.close();
            throw new DistributedException("env rendezvous at " + address + ": " + e.getMessage());
        }
    }

    private static Socket connect(String host, int port, long deadline, int rank, String address, java.time.Duration timeout) {
        IOException last = null;
        while (System.nanoTime() - deadline < 0) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(host, port), 1000);
                s.setTcpNoDelay(true);
                return s;
            } catch (IOException e) { // rank 0 not listening yet: try again until the deadline
                last = e;
                try { s.close(); } catch (IOException ignored) { }
                try { Thread.sleep(50); } catch (InterruptedException i) { Thread.currentThread().interrupt(); break; }
            }
        }
        throw new DistributedTimeoutException("env rendezvous: rank " + rank + " could not reach rank 0 at " + address
                + " within " + ProcessGroup.describe(timeout) + " (" + (last == null ? "interrupted" : last.getMessage())
                + "): start rank 0 with the same FLAMBEAU_MASTER_ADDR/FLAMBEAU_MASTER_PORT, or check that the address is"
                + " reachable from this machine");
    }

    /** {@inheritDoc} A message from the server (absent ranks, a bad join) is thrown as a typed error. */
    @Override
    public synchronized long[] allGather(long[] mine, long deadlineNanos) {
        try {
            long left = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left + 5_000)); // the server answers at its deadline
            out.writeLong(round++);
            out.writeInt(mine.length);
            for (long v : mine) out.writeLong(v);
            out.flush();
            int status = in.readInt();
            if (status == 1) {
                String message = in.readUTF();
                if (message.startsWith("absent: ")) {
                    absent = message.substring("absent: ".length());
                    return null;
                }
                throw new DistributedException("env rendezvous at " + address + ": " + message);
            }
            long[] all = new long[in.readInt()];
            for (int i = 0; i < all.length; i++) all[i] = in.readLong();
            return all;
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new DistributedException("env rendezvous at " + address + ": the connection to rank 0 failed ("
                    + e + "); rank 0 ended or its machine is unreachable");
        }
    }

    /** Which ranks the last round that timed out lacked, for messages. */
    @Override
    public String missing() {
        String a = absent;
        return a == null ? "rank 0 did not answer" : a.isEmpty() ? "every rank arrived late" : "rank" + (a.contains(",") ? "s " : " ") + a
                + " had not arrived";
    }

    @Override
    public void close() {
        try { socket.close(); } catch (IOException ignored) { }
        if (server != null) server.close();
    }

    /** Rank 0's side: a thread per rank's connection; a round completes when every rank sent its part. */
    private static final class Server {
        private final ServerSocket listener;
        private final int size;
        private final java.time.Duration timeout;
        private final Map<Long, long[][]> rounds = new HashMap<>();
        private final Map<Long, Long> started = new HashMap<>();
        private final boolean[] joined;
        private final List<Socket> clients = new ArrayList<>();
        private int connected;
        private volatile boolean closed;

        Server(ServerSocket listener, int size, java.time.Duration timeout) {
            this.listener = listener;
            this.size = size;
            this.timeout = timeout;
            this.joined = new boolean[size];
            Thread accept = new Thread(this::accept, "flambeau-store-accept");
            accept.setDaemon(true);
            accept.start();
        }

        private void accept() {
            while (!closed) {
                try {
                    Socket s = listener.accept();
                    s.setTcpNoDelay(true);
                    synchronized (this) {
                        clients.add(s);
                        connected++;
                    }
                    Thread t = new Thread(() -> serve(s), "flambeau-store-client");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
                DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream()));
                int rank = join(in);
                if (rank < 0) {
                    out.writeInt(1);
                    out.writeUTF(rank == -1 ? "a rank joined with another FLAMBEAU_WORLD_SIZE than rank 0's (" + size + ")"
                            : "a rank joined with a rank out of 0 .. " + (size - 1) + " or one that already joined");
                    out.flush();
                    return;
                }
                while (!closed) {
                    long round = in.readLong();
                    long[] mine = new long[in.readInt()];
                    for (int i = 0; i < mine.length; i++) mine[i] = in.readLong();
                    long[][] all = arrive(round, rank, mine);
                    if (all == null) {
                        out.writeInt(1);
                        out.writeUTF("absent: " + absent(round));
                    } else {
                        out.writeInt(0);
                        out.writeInt(all.length * mine.length);
                        for (long[] part : all) for (long v : part) out.writeLong(v);
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // the rank left (destroy, or it died): its next round is never reached, which the others time out on
            } finally {
                synchronized (this) {
                    connected--;
                    notifyAll();
                }
            }
        }

        private synchronized int join(DataInputStream in) throws IOException {
            if (in.readInt() != MAGIC) return -2;
            int rank = in.readInt();
            int world = in.readInt();
            if (world != size) return -1;
            if (rank < 0 || rank >= size || joined[rank]) return -2;
            joined[rank] = true;
            return rank;
        }

        /** Waits until every rank sent round {@code round} (its parts, in rank order) or its timeout passed (null). */
        private synchronized long[][] arrive(long round, int rank, long[] mine) {
            long[][] all = rounds.computeIfAbsent(round, r -> new long[size][]);
            long start = started.computeIfAbsent(round, r -> System.nanoTime());
            all[rank] = mine;
            notifyAll();
            long deadline = start + timeout.toNanos();
            while (count(all) < size && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            if (round >= 2) { rounds.remove(round - 2); started.remove(round - 2); } // every rank is past it
            return count(all) == size ? all : null;
        }

        private synchronized String absent(long round) {
            long[][] all = rounds.get(round);
            StringBuilder b = new StringBuilder();
            for (int r = 0; r < size; r++) if (all == null || all[r] == null) b.append(b.isEmpty() ? "" : ", ").append(r);
            return b.toString();
        }

        private static int count(long[][] all) {
            int n = 0;
            for (long[] p : all) if (p != null) n++;
            return n;
        }

        /**
         * Stops serving once the other ranks have left (each closes its connection when its group is
         * destroyed or its process ends), at most the timeout later: rank 0 finishing first must not cut
         * off the answers of a round the others are still reading.
         */
        void close() {
            try { listener.close(); } catch (IOException ignored) { }
            synchronized (this) {
                long deadline = System.nanoTime() + timeout.toNanos();
                while (connected > 0 && System.nanoTime() - deadline < 0) {
                    try {
                        wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                closed = true;
                for (Socket s : clients) try { s.close(); } catch (IOException ignored) { }
                notifyAll();
            }
        }
    }
}
