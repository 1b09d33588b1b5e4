package io.flambeau.distributed;

import io.flambeau.core.DistributedException;

/**
 * One rank that tries to join (run by DistributedMpichTest with a launcher and a library of
 * different implementations): prints {@code REFUSED <message>} for the DistributedException it
 * expects, or {@code JOINED <description>} when MPI started, and exits 0 either way.
 */
public final class LauncherLibraryCheck {
    public static void main(String[] args) {
        try {
            ProcessGroup g = Distributed.init();
            System.out.println("JOINED rank " + g.rank() + " of " + g.size() + ": " + Distributed.backendDescription());
            Distributed.destroyProcessGroup();
        } catch (DistributedException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
        System.out.flush();
    }
}
