package io.flambeau.backend.cuda.ffm;

import io.flambeau.backend.cuda.api.KernelArgs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Builds {@code cuLaunchKernel}'s {@code void **kernelParams} from {@link KernelArgs}: one native
 * block holding every value at its natural (or declared) alignment, and an array of pointers into
 * it, one per parameter in declaration order. The driver copies the values at launch, so both live
 * only as long as the call's arena.
 */
final class KernelParams {
    private KernelParams() {}

    /** The pointer array, or {@link MemorySegment#NULL} for a kernel without parameters. */
    static MemorySegment marshal(KernelArgs args, Arena arena) {
        int n = args.count();
        if (n == 0) return MemorySegment.NULL;
        long[] offsets = new long[n];
        long end = 0;
        int maxAlign = 8;
        for (int i = 0; i < n; i++) {
            int align = Math.max(1, args.alignment(i));
            maxAlign = Math.max(maxAlign, align);
            end = (end + align - 1) & -align;
            offsets[i] = end;
            end += args.size(i);
        }
        byte[] packed = new byte[(int) end];
        for (int i = 0; i < n; i++) args.copyTo(i, packed, (int) offsets[i]);
        MemorySegment values = arena.allocate(Math.max(1, end), maxAlign);
        MemorySegment.copy(packed, 0, values, ValueLayout.JAVA_BYTE, 0, packed.length);
        MemorySegment pointers = arena.allocate(ValueLayout.ADDRESS, n);
        for (int i = 0; i < n; i++) pointers.setAtIndex(ValueLayout.ADDRESS, i, values.asSlice(offsets[i]));
        return pointers;
    }
}
