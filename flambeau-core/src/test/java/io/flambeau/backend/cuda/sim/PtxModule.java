package io.flambeau.backend.cuda.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and decoded PTX module: header facts, module-level variables and its kernels. Immutable
 * once built, so one instance is shared by every {@code cuModuleLoadData} of the same text; what
 * differs per load (the device addresses of {@code .global}/{@code .const} variables) lives in
 * {@link ModuleInstance}.
 */
final class PtxModule {
    final int versionMajor;
    final int versionMinor;
    final int targetSm;
    /** Module-level {@code .global} and {@code .const} variables, each backed by device memory. */
    final List<VarDecl> globals;
    /** Module-level {@code .shared} variables, laid out in every kernel's shared memory. */
    final List<VarDecl> moduleShared;
    /** The module's {@code .extern .shared} array (dynamic shared memory), or null. */
    final VarDecl externShared;
    final Map<String, PtxKernel> kernels = new LinkedHashMap<>();

    PtxModule(int versionMajor, int versionMinor, int targetSm, List<VarDecl> globals,
              List<VarDecl> moduleShared, VarDecl externShared) {
        this.externShared = externShared;
        this.versionMajor = versionMajor;
        this.versionMinor = versionMinor;
        this.targetSm = targetSm;
        this.globals = List.copyOf(globals);
        this.moduleShared = List.copyOf(moduleShared);
    }

    /** Index of a module-level .global/.const variable, or -1. */
    int globalIndex(String name) {
        for (int i = 0; i < globals.size(); i++) if (globals.get(i).name().equals(name)) return i;
        return -1;
    }

    /** PTX ISA version as major*10+minor, e.g. 70 for 7.0. */
    int version() { return versionMajor * 10 + versionMinor; }

    /** Parses and decodes; throws {@link PtxSyntaxException} on anything it does not support. */
    static PtxModule load(String ptx, DecodeOptions options) {
        PtxModule module = new PtxParser(ptx).parseModule();
        for (PtxKernel k : module.kernels.values()) new InstructionDecoder(module, k, options).decode();
        return module;
    }
}
