package io.flambeau.distributed;

import io.flambeau.core.DistributedException;
import io.flambeau.distributed.mpi.Mpi;

import java.time.Duration;

/**
 * The process group of the job (PyTorch's {@code torch.distributed}): {@link #init()} joins it,
 * {@link #destroyProcessGroup()} leaves it. Ranks come from the launcher: start the job with
 * {@code mpirun -np N java ...} (Open MPI; add {@code --allow-run-as-root} as root) or MPICH's
 * {@code mpiexec.mpich -n N java ...}; the launcher's variables ({@link LaunchEnvironment}) give
 * rank, world size and local rank, and MPI ({@link Mpi}) carries the data, through the launcher's
 * own library (libmpi.so.40 under Open MPI's, libmpich.so.12 under MPICH's; the other one is a
 * {@link DistributedException}).
 *
 * <p>Without an MPI launcher, the env rendezvous (torch.distributed's {@code env://}) joins
 * processes started by any means: {@code FLAMBEAU_RANK}, {@code FLAMBEAU_WORLD_SIZE},
 * {@code FLAMBEAU_MASTER_ADDR} and {@code FLAMBEAU_MASTER_PORT} on every process (rank 0 listens
 * there; {@code FLAMBEAU_LOCAL_RANK} optional). Such a group has no MPI: its collectives run on
 * CUDA tensors through NCCL (the NCCL id and the arguments every collective starts with go through
 * a small TCP store on rank 0, never tensor data), plus {@code barrier}; CPU tensors, CUDA tensors
 * without NCCL and {@code newGroup} are a {@link DistributedException} that says to start the job
 * with {@code mpirun}. A rank that never joins is a {@link io.flambeau.core.DistributedTimeoutException}
 * naming it, after the timeout.
 *
 * <p>The timeout of collectives is 5 minutes unless given to {@link #init(Duration)}, by
 * {@code -Dflambeau.distributed.timeout=SECONDS} or {@code FLAMBEAU_DISTRIBUTED_TIMEOUT=SECONDS}.
 *
 * <pre>{@code
 * // mpirun -np 2 java -cp app.jar:flambeau.jar Main
 * ProcessGroup world = Distributed.init();
 * Tensor t = Torch.ones(4).mul((double) world.rank());
 * world.allReduce(t);                 // sum over ranks, in place
 * Distributed.destroyProcessGroup();
 * }</pre>
 */
public final class Distributed {
    /** As PyTorch's default process-group timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private static ProcessGroup world;
    private static Mpi mpi;

    private Distributed() {}

    /** Joins the job's process group with the configured timeout (5 minutes by default). */
    public static ProcessGroup init() { return init(configuredTimeout()); }

    /** Joins the job's process group; collectives fail after {@code timeout} instead of waiting forever. */
    public static synchronized ProcessGroup init(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new DistributedException("init: the timeout must be positive, got " + timeout);
        }
        if (world != null && !world.isDestroyed()) {
            throw new DistributedException("init: this process already joined its process group (" + world
                    + "); call Distributed.group() to use it");
        }
        LaunchEnvironment launch = LaunchEnvironment.read(System.getenv());
        if (launch.rendezvous() != null) {
            world = joinByEnv(launch, timeout);
            mpi = null;
            return world;
        }
        mpi = Mpi.init();
        var comm = mpi.world();
        if (launch.known() && (launch.worldSize() != comm.size() || launch.rank() != comm.rank())) {
            throw new DistributedException("init: " + launch.source() + " say rank " + launch.rank() + " of "
                    + launch.worldSize() + " but MPI (" + mpi.implementation() + ") started this process as rank "
                    + comm.rank() + " of " + comm.size() + ": start every rank with mpirun -np " + launch.worldSize()
                    + " (Open MPI) or mpiexec.mpich -n " + launch.worldSize() + " (MPICH), the launcher of the MPI library found"
                    + " (a rendezvous through FLAMBEAU_MASTER_ADDR/PORT without an MPI launcher is not supported)");
        }
        int[] ranks = new int[comm.size()];
        for (int i = 0; i < ranks.length; i++) ranks[i] = i;
        world = new ProcessGroup(comm, ranks, comm.rank(), launch.localRank(), timeout);
        return world;
    }

    /** A world group through the env rendezvous at {@code launch.rendezvous()}, with no MPI (see the class comment). */
    static ProcessGroup joinByEnv(LaunchEnvironment launch, Duration timeout) {
        if (!launch.known()) {
            throw new DistributedException("init: FLAMBEAU_MASTER_ADDR/FLAMBEAU_MASTER_PORT are set but not FLAMBEAU_RANK and"
                    + " FLAMBEAU_WORLD_SIZE; set all four on every process (or start the job with mpirun)");
        }
        if (launch.rank() < 0 || launch.rank() >= launch.worldSize()) {
            throw new DistributedException("init: FLAMBEAU_RANK=" + launch.rank() + " is not a rank of FLAMBEAU_WORLD_SIZE="
                    + launch.worldSize() + " (0 .. " + (launch.worldSize() - 1) + ")");
        }
        LaunchEnvironment.Rendezvous at = launch.rendezvous();
        TcpStore store = TcpStore.join(at.host(), at.port(), launch.rank(), launch.worldSize(), timeout);
        int[] ranks = new int[launch.worldSize()];
        for (int i = 0; i < ranks.length; i++) ranks[i] = i;
        return new ProcessGroup(null, store, "the env rendezvous at " + at.host() + ":" + at.port(), ranks, launch.rank(),
                launch.localRank(), timeout);
    }

    public static synchronized boolean isInitialized() { return world != null && !world.isDestroyed(); }

    /** The world group made by {@link #init}. */
    public static synchronized ProcessGroup group() {
        if (world == null) {
            throw new DistributedException("the process group is not initialised: call Distributed.init() first");
        }
        return world;
    }

    /** This process's rank in the world. */
    public static int rank() { return group().rank(); }

    /** The number of processes in the world. */
    public static int worldSize() { return group().size(); }

    /** A sub-group of world ranks; every rank of the world calls it with the same list. */
    public static ProcessGroup newGroup(int... ranks) { return group().newGroup(ranks); }

    /** Which MPI library carries the collectives ("Open MPI v4.1.4 (libmpi.so.40)"). */
    public static String backendDescription() {
        ProcessGroup g = group();
        if (mpi == null) return "NCCL for CUDA tensors, joined by the env rendezvous (" + g + "; no MPI)";
        return mpi.describe();
    }

    /**
     * Destroys the world group and its sub-groups and finalises MPI (every rank must call it). A
     * process joins at most once: MPI cannot be initialised again after it was finalised.
     */
    public static synchronized void destroyProcessGroup() {
        if (world == null || world.isDestroyed()) return;
        world.destroy();
        if (mpi != null) mpi.finish();
    }

    static Duration configuredTimeout() {
        String s = System.getProperty("flambeau.distributed.timeout", System.getenv("FLAMBEAU_DISTRIBUTED_TIMEOUT"));
        if (s == null || s.isBlank()) return DEFAULT_TIMEOUT;
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(s.strip()) * 1000));
        } catch (NumberFormatException e) {
            throw new DistributedException("flambeau.distributed.timeout / FLAMBEAU_DISTRIBUTED_TIMEOUT must be a number"
                    + " of seconds, got '" + s + "'");
        }
    }
}
