package io.flambeau.distributed.mpi;

import java.util.List;
import java.util.Map;

/**
 * Which MPI's launcher started this process, read from the variables it sets: Open MPI's
 * {@code mpirun} sets {@code OMPI_COMM_WORLD_RANK/SIZE}, MPICH's Hydra ({@code mpiexec.mpich})
 * {@code PMI_RANK/PMI_SIZE} with {@code PMI_FD} or {@code HYDI_CONTROL_FD}. The library must be the
 * launcher's own: Open MPI's library under Hydra (or MPICH's under {@code mpirun}) does not see the
 * launcher and starts every rank as rank 0 of 1, so {@link MpiLibrary} looks for the launcher's
 * library first and refuses the other one before {@code MPI_Init}.
 */
enum MpiLauncher {
    /** Open MPI's {@code mpirun}/{@code mpiexec}: its library is {@code libmpi.so.40}. */
    OPEN_MPI("Open MPI", "Open MPI's mpirun (OMPI_COMM_WORLD_RANK/SIZE are set)",
            List.of("libmpi.so.40"), "apt-get install openmpi-bin libopenmpi3", "mpirun.openmpi"),
    /** MPICH's Hydra {@code mpiexec}: its library is {@code libmpich.so.12} (or {@code libmpi.so.12}). */
    MPICH("MPICH", "MPICH's mpiexec (PMI_RANK/PMI_SIZE are set)",
            List.of("libmpich.so.12", "libmpi.so.12"), "apt-get install mpich libmpich12", "mpiexec.mpich"),
    /** No MPI launcher: a singleton MPI process (or the env rendezvous, which needs no MPI). */
    NONE("no launcher", "no MPI launcher", List.of("libmpi.so.40", "libmpich.so.12", "libmpi.so.12"), null, null);

    /** The implementation's name, as {@link MpiHandles#implementation()} says it. */
    final String implementation;
    /** How this launcher was recognised, for messages. */
    final String recognisedBy;
    /** The sonames of its library, in the order they are tried. */
    final List<String> libraries;
    /** What installs its library on Debian/Ubuntu (null for {@link #NONE}). */
    final String install;
    /** Its launcher's explicit name on Debian/Ubuntu (null for {@link #NONE}). */
    final String command;

    MpiLauncher(String implementation, String recognisedBy, List<String> libraries, String install, String command) {
        this.implementation = implementation;
        this.recognisedBy = recognisedBy;
        this.libraries = libraries;
        this.install = install;
        this.command = command;
    }

    /** The launcher that set {@code env}. */
    static MpiLauncher of(Map<String, String> env) {
        if (set(env, "OMPI_COMM_WORLD_SIZE") || set(env, "OMPI_COMM_WORLD_RANK")) return OPEN_MPI;
        if (set(env, "PMI_RANK") && set(env, "PMI_SIZE") && (set(env, "PMI_FD") || set(env, "HYDI_CONTROL_FD")
                || set(env, "PMI_PORT"))) {
            return MPICH;
        }
        return NONE;
    }

    /** The launcher of the other implementation, whose library is the wrong one here. */
    MpiLauncher other() {
        return switch (this) {
            case OPEN_MPI -> MPICH;
            case MPICH -> OPEN_MPI;
            case NONE -> NONE;
        };
    }

    private static boolean set(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }
}
