package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.ffm.LoopbackAccess;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loopback executor that runs nothing and records each launch, reading every argument back from
 * {@code kernelParams} with the size the PTX declares, as the driver does: what JCuda actually
 * passed, byte for byte.
 */
final class RecordedLaunches implements LoopbackAccess.Executor {
    /** One launch as the driver received it. */
    record Launch(String kernel, int[] dims, long stream, List<byte[]> args) {}

    private final Map<Long, Map<String, int[]>> modules = new HashMap<>();
    final List<Launch> launches = new ArrayList<>();

    @Override
    public int load(long module, String ptx, StringBuilder log) {
        modules.put(module, LoopbackAccess.parameterSizes(ptx));
        return 0;
    }

    @Override
    public int launch(long module, String kernel, int[] dims, long stream, MemorySegment kernelParams) {
        int[] sizes = modules.get(module).get(kernel);
        MemorySegment array = kernelParams.reinterpret(8L * sizes.length);
        List<byte[]> args = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            args.add(array.getAtIndex(ValueLayout.ADDRESS, i).reinterpret(sizes[i]).toArray(ValueLayout.JAVA_BYTE));
        }
        launches.add(new Launch(kernel, dims, stream, args));
        return 0;
    }
}
