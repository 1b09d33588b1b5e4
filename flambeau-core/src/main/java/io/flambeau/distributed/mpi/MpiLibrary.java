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
 * {@code FLAMBEAU_MPI_LIBRARY}), else Open MPI's {@code libmpi.so.40}, else MPICH's
 * {@code libmpich.so.12} / {@code libmpi.so.12}. Never the {@code -dev} package's unversioned
 * {@code libmpi.so}, which is absent where only the runtime is installed.
 *
 * <p>The library is opened with {@code dlopen(RTLD_NOW | RTLD_GLOBAL)} called through FFM before
 * the JVM's own (RTLD_LOCAL) lookup: Open MPI loads its transports as plugins that expect libmpi's
 * symbols in the global namespace, and fail to load otherwise (mpi4py does the same).
 */
public final class MpiLibrary {
    private static final int RTLD_NOW = 0x2;
    private static final int RTLD_GLOBAL = 0x100;
    private static final List<String> DEFAULT_NAMES = List.of("libmpi.so.40", "libmpich.so.12", "libmpi.so.12");

    private static MpiLibrary loaded;
    private static DistributedException failure;

    private final String origin;
    private final SymbolLookup lookup;
    private final MpiHandles handles;

    private MpiLibrary(String origin, SymbolLookup lookup) {
        this.origin = origin;
        this.lookup = lookup;
        this.handles = lookup.find("ompi_mpi_comm_world").isPresent() ? new OpenMpiHandles(lookup) : new MpichHandles();
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
        return open(given ? List.of(configured) : DEFAULT_NAMES, given);
    }

    /** The first of {@code names} that opens; {@code configured} when the user named it. */
    static MpiLibrary open(List<String> names, boolean configured) {
        List<String> reasons = new ArrayList<>();
        MethodHandle dlopen = dlopen();
        for (String name : names) {
            String why = dlopenGlobal(dlopen, name);
            if (why != null) {
                reasons.add(name + ": " + why);
                continue;
            }
            return new MpiLibrary(name, SymbolLookup.libraryLookup(name, Arena.global()));
        }
        throw new DistributedException("no MPI library could be loaded (" + String.join("; ", reasons) + "). "
                + (configured ? "Check -Dflambeau.mpi.library / FLAMBEAU_MPI_LIBRARY. " : "")
                + "Install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi3; "
                + "RHEL: dnf install openmpi) or point -Dflambeau.mpi.library at libmpi.so.40 or libmpich.so.12");
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
