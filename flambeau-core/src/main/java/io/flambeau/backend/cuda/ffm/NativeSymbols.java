package io.flambeau.backend.cuda.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.List;

/**
 * The symbols of one loaded library ({@code libcuda.so.1}, {@code libcublas.so.13}/{@code .12}) and
 * the helpers both header classes ({@link CudaDriver_h}, {@link Cublas_h}) bind them with: a downcall
 * for the first of a symbol's names that the library has, the symbols it lacks, and the rethrow of
 * a downcall's failure. jextract would write these into each header class; they live here once.
 */
final class NativeSymbols {
    private final SymbolLookup lookup;
    private final String library;

    NativeSymbols(CudaLibraries.Loaded loaded) {
        this.lookup = loaded.lookup();
        this.library = loaded.origin();
    }

    /** Finds the first of {@code names} (a symbol and its older fallback) and binds it. */
    MethodHandle downcall(FunctionDescriptor desc, Linker.Option option, String... names) {
        return Linker.nativeLinker().downcallHandle(findOrThrow(names), desc, option);
    }

    MethodHandle downcall(FunctionDescriptor desc, String... names) {
        return Linker.nativeLinker().downcallHandle(findOrThrow(names), desc);
    }

    private MemorySegment findOrThrow(String... names) {
        for (String name : names) {
            var found = lookup.find(name);
            if (found.isPresent()) return found.get();
        }
        throw new UnsatisfiedLinkError("unresolved symbol: " + String.join(" or ", names) + " in " + library);
    }

    /** The entries of {@code symbols} this library lacks (each entry may name alternatives: "a|b"). */
    List<String> missing(List<String> symbols) {
        return symbols.stream()
                .filter(s -> Arrays.stream(s.split("\\|")).noneMatch(n -> lookup.find(n).isPresent()))
                .toList();
    }

    /** What a downcall threw, as an unchecked exception (a native call declares no checked ones). */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        throw new AssertionError("should not reach here", t);
    }
}
