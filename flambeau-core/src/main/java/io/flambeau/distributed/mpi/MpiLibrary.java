package io.flambeau.distributed.mpi;

import io.flambeau.core.DistributedException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds and opens the MPI library, once per process: {@code -Dflambeau.mpi.library=PATH} (or
 * {@code FLAMBEAU_MPI_LIBRARY}), else the library of the launcher that started the process
 * ({@link MpiLauncher}: Open MPI's {@code libmpi.so.40} under {@code mpirun}, MPICH's
 * {@code libmpich.so.12} / {@code libmpi.so.12} under MPICH's {@code mpiexec}), else the first of
 * those three that opens. Never the {@code -dev} package's unversioned {@code libmpi.so}, which is
 * absent where only the runtime is installed (and is either implementation, by alternatives).
 *
 * <p>Which implementation the library is comes from its symbols (Open MPI exports its predefined
 * handles, {@code ompi_mpi_comm_world}; MPICH its internals, {@code MPIR_Err_create_code}) and
 * chooses the handle table. A library of the other implementation than the launcher's is refused
 * before {@code MPI_Init}: it would not see the launcher and start every rank as rank 0 of 1.
 *
 * <p>The library is opened with {@code dlopen(RTLD_NOW | RTLD_GLOBAL)} called through FFM before
 * the JVM's own (RTLD_LOCAL) lookup: Open MPI loads its transports as plugins that expect libmpi's
 * symbols in the global namespace, and fail to load otherwise (mpi4py does the same). Before that,
 * {@code UCX_ERROR_SIGNALS} is set empty unless the user set it: UCX (MPICH's ch4:ucx device and
 * Open MPI's ucx components) otherwise installs a SIGSEGV handler that takes the JVM's own signals
 * (implicit null checks, safepoint polls) for crashes and kills the process.
 */
public final class MpiLibrary {
    private static final int RTLD_NOW = 0x2;
    private static final int RTLD_GLOBAL = 0x100;
    /** Symbols that say which implementation a library is (both are exported by every supported version). */
    static final String OPEN_MPI_SYMBOL = "ompi_mpi_comm_world";
    static final String MPICH_SYMBOL = "MPIR_Err_create_code";

    private static MpiLibrary loaded;
    private static DistributedException failure;

    private final String origin;
    private final SymbolLookup lookup;
    private final MpiHandles handles;

    private MpiLibrary(String origin, SymbolLookup lookup, MpiHandles handles) {
        this.origin = origin;
        this.lookup = lookup;
        this.handles = handles;
    }

    /** The process's MPI library, opened on first use; throws, the same way every time, when none can be. */
    public static synchronized MpiLibrary get() {
        if (loaded != null) return loaded;
        if (failure != null) throw failure;
        try {
            loaded = open();
            return loaded;
        } catch (DistributedException e) {
            failure = e;
            throw e;
        }
    }

    /** Where the library was found (a path or a soname). */
    public String origin() { return origin; }

    /** Open MPI or MPICH: which handle table applies. */
    public MpiHandles handles() { return handles; }

    MemorySegment symbol(String name) {
        Optional<MemorySegment> s = lookup.find(name);
        if (s.isEmpty()) {
            throw new DistributedException("MPI library " + origin + " has no symbol " + name
                    + ": Flambeau needs an MPI 3 implementation (Open MPI 4 or newer, MPICH 3 or newer)");
        }
        return s.get();
    }

    private static MpiLibrary open() {
        String configured = System.getProperty("flambeau.mpi.library", System.getenv("FLAMBEAU_MPI_LIBRARY"));
        boolean given = configured != null && !configured.isBlank();
        MpiLauncher launcher = MpiLauncher.of(System.getenv());
        quietUcxSignals();
        return open(given ? List.of(configured.strip()) : launcher.libraries, given, launcher);
    }

    /** The first of {@code names} that opens; {@code configured} when the user named it; no launcher. */
    static MpiLibrary open(List<String> names, boolean configured) {
        return open(names, configured, MpiLauncher.NONE);
    }

    /**
     * The first of {@code names} that opens, which must be {@code launcher}'s implementation (any
     * for {@link MpiLauncher#NONE}); {@code configured} when the user named it.
     */
    static MpiLibrary open(List<String> names, boolean configured, MpiLauncher launcher) {
        List<String> reasons = new ArrayList<>();
        MethodHandle dlopen = dlopen();
        for (String name : names) {
            String why = dlopenGlobal(dlopen, name);
            if (why != null) {
                reasons.add(name + ": " + why);
                continue;
            }
            SymbolLookup lookup = SymbolLookup.libraryLookup(name, Arena.global());
            String implementation = implementation(lookup);
            if (implementation == null) {
                throw new DistributedException("MPI library " + name + " is neither Open MPI (no symbol " + OPEN_MPI_SYMBOL
                        + ") nor MPICH (no symbol " + MPICH_SYMBOL + "): Flambeau has handle tables for these two only; "
                        + "point -Dflambeau.mpi.library at libmpi.so.40 (Open MPI) or libmpich.so.12 (MPICH)");
            }
            checkMatchesLauncher(name, implementation, launcher);
            MpiHandles handles = implementation.equals(MpiLauncher.OPEN_MPI.implementation)
                    ? new OpenMpiHandles(lookup) : new MpichHandles();
            return new MpiLibrary(name, lookup, handles);
        }
        if (launcher != MpiLauncher.NONE && !configured) {
            MpiLauncher other = launcher.other();
            String found = other.libraries.stream().filter(n -> dlopenGlobal(dlopen, n) == null).findFirst().orElse(null);
            if (found != null) {
                throw mismatch(found, other.implementation, launcher);
            }
        }
        throw new DistributedException("no MPI library could be loaded (" + String.join("; ", reasons) + "). "
                + (configured ? "Check -Dflambeau.mpi.library / FLAMBEAU_MPI_LIBRARY. " : "")
                + (launcher == MpiLauncher.NONE ? "Install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi3; "
                        + "RHEL: dnf install openmpi) or MPICH (Debian/Ubuntu: apt-get install mpich libmpich12; RHEL: dnf "
                        + "install mpich), or point -Dflambeau.mpi.library at libmpi.so.40 (Open MPI) or libmpich.so.12 (MPICH)"
                        : "This process was started by " + launcher.recognisedBy + ": install its library (Debian/Ubuntu: "
                        + launcher.install + ") or point -Dflambeau.mpi.library at it"));
    }

    /** "Open MPI", "MPICH", or null when the library's symbols say neither. */
    static String implementation(SymbolLookup lookup) {
        if (lookup.find(OPEN_MPI_SYMBOL).isPresent()) return MpiLauncher.OPEN_MPI.implementation;
        if (lookup.find(MPICH_SYMBOL).isPresent()) return MpiLauncher.MPICH.implementation;
        return null;
    }

    /** Refuses a library of the other implementation than the launcher's (before MPI_Init, which would misjoin). */
    static void checkMatchesLauncher(String library, String implementation, MpiLauncher launcher) {
        if (launcher != MpiLauncher.NONE && !launcher.implementation.equals(implementation)) {
            throw mismatch(library, implementation, launcher);
        }
    }

    private static DistributedException mismatch(String library, String implementation, MpiLauncher launcher) {
        MpiLauncher libraryOwn = launcher.other();
        return new DistributedException("this process was started by " + launcher.recognisedBy + " but the MPI library "
                + "found is " + implementation + "'s " + library + ": an MPI library joins only the ranks of its own "
                + "launcher (here every rank would be rank 0 of 1). Start the job with " + libraryOwn.command + " (" + implementation
                + "), or install " + launcher.implementation + "'s library (Debian/Ubuntu: " + launcher.install
                + ") and point -Dflambeau.mpi.library at " + launcher.libraries.getFirst() + " if it is not found");
    }

    /**
     * {@code setenv("UCX_ERROR_SIGNALS", "", 0)} before the library (and UCX with it) is loaded:
     * UCX's SIGSEGV handler would kill the JVM at its first implicit null check. A value the user
     * set is kept.
     */
    private static void quietUcxSignals() {
        if (System.getenv("UCX_ERROR_SIGNALS") != null) return;
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            MemorySegment setenv = linker.defaultLookup().find("setenv").orElse(null);
            if (setenv == null) return;
            MethodHandle h = linker.downcallHandle(setenv,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            int ignored = (int) h.invokeExact(arena.allocateFrom("UCX_ERROR_SIGNALS"), arena.allocateFrom(""), 0);
        } catch (Throwable t) {
            // without it the library still loads; UCX may then end the process at the JVM's first SIGSEGV
        }
    }

    private static MethodHandle dlopen() {
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> address = linker.defaultLookup().find("dlopen"); // glibc 2.34+: in libc
        if (address.isEmpty()) {
            address = SymbolLookup.libraryLookup("libdl.so.2", Arena.global()).find("dlopen");
        }
        return linker.downcallHandle(address.orElseThrow(() -> new DistributedException(
                        "dlopen was found neither in libc nor in libdl.so.2: cannot open the MPI library globally")),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    /** Null when {@code name} is now loaded with global symbols, else dlerror's reason. */
    private static String dlopenGlobal(MethodHandle dlopen, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) dlopen.invokeExact(arena.allocateFrom(name), RTLD_NOW | RTLD_GLOBAL);
            if (!handle.equals(MemorySegment.NULL)) return null;
            return dlerror();
        } catch (Throwable t) {
            return t.toString();
        }
    }

    private static String dlerror() {
        try {
            Linker linker = Linker.nativeLinker();
            MemorySegment f = linker.defaultLookup().find("dlerror").orElse(null);
            if (f == null) return "not found";
            MethodHandle h = linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.ADDRESS));
            MemorySegment text = (MemorySegment) h.invokeExact();
            return text.equals(MemorySegment.NULL) ? "not found" : text.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "not found";
        }
    }
}
