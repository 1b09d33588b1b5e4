package io.flambeau.distributed;

import java.util.Map;

/**
 * What the launcher told this process about its place in the job, read from the environment:
 * {@code mpirun}'s {@code OMPI_COMM_WORLD_RANK/SIZE/LOCAL_RANK} (Open MPI), the PMI variables
 * {@code PMI_RANK/PMI_SIZE} and {@code MPI_LOCALRANKID} (MPICH's Hydra), or Flambeau's own
 * {@code FLAMBEAU_RANK}, {@code FLAMBEAU_WORLD_SIZE} and {@code FLAMBEAU_LOCAL_RANK}
 * (torch.distributed's {@code RANK}/{@code WORLD_SIZE}/{@code LOCAL_RANK} are read last).
 *
 * @param rank      this process's rank, or -1 when no launcher said
 * @param worldSize the number of processes, or -1 when no launcher said
 * @param localRank the rank among the processes of this machine (0 when unknown)
 * @param source    which variables these come from, for messages
 * @param rendezvous {@code FLAMBEAU_MASTER_ADDR}/{@code PORT} when set and no MPI launcher started
 *                   this process (an MPI launcher's variables win), else null
 */
record LaunchEnvironment(int rank, int worldSize, int localRank, String source, Rendezvous rendezvous) {

    /** Where rank 0 of the env rendezvous listens. */
    record Rendezvous(String host, int port) {}

    LaunchEnvironment(int rank, int worldSize, int localRank, String source) {
        this(rank, worldSize, localRank, source, null);
    }

    static LaunchEnvironment read(Map<String, String> env) {
        String[][] schemes = {
                {"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK"},
                {"PMI_RANK", "PMI_SIZE", "MPI_LOCALRANKID"},
                {"FLAMBEAU_RANK", "FLAMBEAU_WORLD_SIZE", "FLAMBEAU_LOCAL_RANK"},
                {"RANK", "WORLD_SIZE", "LOCAL_RANK"}};
        Rendezvous rendezvous = rendezvous(env);
        for (int i = 0; i < schemes.length; i++) {
            String[] s = schemes[i];
            Integer rank = number(env, s[0]);
            Integer size = number(env, s[1]);
            if (rank != null && size != null) {
                Integer local = number(env, s[2]);
                return new LaunchEnvironment(rank, size, local == null ? 0 : local, s[0] + "/" + s[1],
                        i < 2 ? null : rendezvous); // under mpirun or MPICH's launcher, MPI joins the ranks
            }
        }
        return new LaunchEnvironment(-1, -1, 0, "no launcher variables", rendezvous);
    }

    private static Rendezvous rendezvous(Map<String, String> env) {
        String host = env.get("FLAMBEAU_MASTER_ADDR");
        String port = env.get("FLAMBEAU_MASTER_PORT");
        if ((host == null || host.isBlank()) && (port == null || port.isBlank())) return null;
        if (host == null || host.isBlank() || port == null || port.isBlank()) {
            throw new io.flambeau.core.DistributedException("the env rendezvous needs both FLAMBEAU_MASTER_ADDR and"
                    + " FLAMBEAU_MASTER_PORT (rank 0's address and a free port), got " + (host == null || host.isBlank()
                    ? "FLAMBEAU_MASTER_PORT=" + port + " only" : "FLAMBEAU_MASTER_ADDR=" + host + " only"));
        }
        Integer p = number(env, "FLAMBEAU_MASTER_PORT");
        if (p < 1 || p > 65535) {
            throw new io.flambeau.core.DistributedException("FLAMBEAU_MASTER_PORT=" + port + " is not a TCP port (1 .. 65535)");
        }
        return new Rendezvous(host.strip(), p);
    }

    boolean known() { return worldSize > 0; }

    private static Integer number(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return null;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new io.flambeau.core.DistributedException("environment variable " + name + "=" + v
                    + " is not an integer");
        }
    }
}
