package io.flambeau.backend.cuda.ffm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loopback executor that runs nothing: it records each launch with its arguments read back from
 * {@code kernelParams} using the sizes the PTX declares, the way the driver reads them. Binding
 * tests compare the bytes with what they passed in.
 */
final class RecordingExecutor implements Loopback.KernelExecutor {
    /** One launch as the driver received it. */
    record Launch(String kernel, int[] dims, long stream, List<byte[]> args) {}

    private final Map<Long, Map<String, PtxSignature>> modules = new HashMap<>();
    final List<Launch> launches = new ArrayList<>();
    final List<String> loaded = new ArrayList<>();
    /** When set, module loads fail with this status and log. */
    int failLoadStatus;
    String failLoadLog;

    @Override
    public int load(long module, String ptx, StringBuilder log) {
        if (failLoadStatus != 0) {
            log.append(failLoadLog);
            return failLoadStatus;
        }
        loaded.add(ptx);
        modules.put(module, PtxSignature.parse(ptx));
        return 0;
    }

    @Override
    public void unload(long module) { modules.remove(module); }

    @Override
    public int launch(long module, String kernel, int[] dims, long stream, MemorySegment kernelParams) {
        PtxSignature sig = modules.get(module).get(kernel);
        MemorySegment array = kernelParams.reinterpret(8L * sig.params().size());
        List<byte[]> args = new ArrayList<>();
        for (int i = 0; i < sig.params().size(); i++) {
            int size = sig.params().get(i).size();
            MemorySegment value = array.getAtIndex(ValueLayout.ADDRESS, i).reinterpret(size);
            args.add(value.toArray(ValueLayout.JAVA_BYTE));
        }
        launches.add(new Launch(kernel, dims, stream, args));
        return 0;
    }
}
