package io.flambeau.distributed.mpi;

import io.flambeau.core.DistributedException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * MPI for this process: initialised once ({@code MPI_Init_thread}, asking for
 * {@code MPI_THREAD_SERIALIZED}), finalised once. MPI allows neither twice per process. Every MPI
 * call of the binding runs under {@link #LOCK}, so callers on several threads are serialised as
 * that thread level requires.
 */
public final class Mpi {
    /** Serialises every MPI call of the process. */
    static final Object LOCK = new Object();
    private static final int MPI_THREAD_SERIALIZED = 2; // the same in Open MPI and MPICH

    private static Mpi instance;
    private static boolean finalized;

    private final MpiLibrary library;
    private final MpiComm world;

    private Mpi(MpiLibrary library, MpiComm world) {
        this.library = library;
        this.world = world;
    }

    /** Initialises MPI on the first call (loading the library); later calls return the same instance. */
    public static Mpi init() {
        synchronized (LOCK) {
            if (instance != null) return instance;
            if (finalized) {
                throw new DistributedException("MPI was finalised in this process (destroy()), and MPI cannot be"
                        + " initialised twice: start a new process for a new process group");
            }
            MpiLibrary library = MpiLibrary.get();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment flag = arena.allocate(ValueLayout.JAVA_INT);
                MpiStatus.check(Mpi_h.MPI_Initialized(flag), "MPI_Initialized");
                if (flag.get(ValueLayout.JAVA_INT, 0) == 0) {
                    MemorySegment provided = arena.allocate(ValueLayout.JAVA_INT);
                    MpiStatus.check(Mpi_h.MPI_Init_thread(MemorySegment.NULL, MemorySegment.NULL, MPI_THREAD_SERIALIZED,
                            provided), "MPI_Init_thread");
                    int level = provided.get(ValueLayout.JAVA_INT, 0);
                    if (level < MPI_THREAD_SERIALIZED) {
                        throw new DistributedException("MPI_Init_thread: " + library.origin() + " provides thread level "
                                + level + ", Flambeau needs MPI_THREAD_SERIALIZED (2) or more");
                    }
                }
            }
            MpiHandles h = library.handles();
            MpiComm world = MpiComm.predefined(h.commWorld(), "MPI_COMM_WORLD");
            instance = new Mpi(library, world);
            return instance;
        }
    }

    public MpiComm world() { return world; }

    /** "Open MPI" or "MPICH". */
    public String implementation() { return library.handles().implementation(); }

    /** {@code MPI_Get_library_version}'s first line and where the library was loaded from. */
    public String describe() {
        synchronized (LOCK) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment text = arena.allocate(8192);
                MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
                MpiStatus.check(Mpi_h.MPI_Get_library_version(text, length), "MPI_Get_library_version");
                int n = Math.min(length.get(ValueLayout.JAVA_INT, 0), 8191);
                // Open MPI counts the terminating NUL in resultlen (4.1), MPICH does not: the text ends at the first NUL
                String v = new String(text.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                int nul = v.indexOf('\0');
                v = (nul < 0 ? v : v.substring(0, nul)).strip();
                int nl = v.indexOf('\n');
                return (nl < 0 ? v : v.substring(0, nl)).replaceAll("[,\\s]+$", "") + " (" + library.origin() + ")";
            }
        }
    }

    /** {@code MPI_Finalize}: every rank must call it; no MPI call is possible in this process afterwards. */
    public void finish() {
        synchronized (LOCK) {
            if (finalized) return;
            finalized = true;
            instance = null;
            MpiStatus.check(Mpi_h.MPI_Finalize(), "MPI_Finalize");
        }
    }

    /** {@code MPI_Abort} on the world: ends every rank of the job (used when a rank cannot go on). */
    public void abort(int errorCode) {
        synchronized (LOCK) {
            Mpi_h.MPI_Abort(world.handle, errorCode);
        }
    }
}
