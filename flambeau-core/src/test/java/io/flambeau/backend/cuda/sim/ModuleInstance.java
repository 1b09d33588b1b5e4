package io.flambeau.backend.cuda.sim;

import java.util.List;

/**
 * One {@code cuModuleLoadData}: the shared, immutable {@link PtxModule} plus the device memory that
 * this load gave its {@code .global}/{@code .const} variables.
 */
final class ModuleInstance {
    final PtxModule module;
    final int deviceOrdinal;
    final List<Allocation> variables;
    final long[] variableAddresses;
    boolean unloaded;

    ModuleInstance(PtxModule module, int deviceOrdinal, List<Allocation> variables) {
        this.module = module;
        this.deviceOrdinal = deviceOrdinal;
        this.variables = List.copyOf(variables);
        this.variableAddresses = new long[variables.size()];
        for (int i = 0; i < variableAddresses.length; i++) variableAddresses[i] = variables.get(i).base;
    }
}
