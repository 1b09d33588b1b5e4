package io.flambeau.distributed.nccl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The 128 bytes ({@code ncclUniqueId}) that name a communicator: made by one rank with
 * {@link #create()}, sent to the others (over MPI or any channel) as {@link #bytes()}, and given by
 * every rank to {@link NcclComm#initRank}.
 */
public final class NcclUniqueId {
    private final byte[] bytes;

    private NcclUniqueId(byte[] bytes) { this.bytes = bytes; }

    /** {@code ncclGetUniqueId}. */
    public static NcclUniqueId create() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment id = arena.allocate(Nccl_h.NCCL_UNIQUE_ID);
            NcclStatus.check(Nccl_h.ncclGetUniqueId(id), "ncclGetUniqueId", null);
            return new NcclUniqueId(id.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /** An id received from another rank. */
    public static NcclUniqueId of(byte[] bytes) {
        if (bytes.length != Nccl_h.NCCL_UNIQUE_ID_BYTES) {
            throw new io.flambeau.core.DistributedException("an ncclUniqueId has " + Nccl_h.NCCL_UNIQUE_ID_BYTES
                    + " bytes, got " + bytes.length);
        }
        return new NcclUniqueId(bytes.clone());
    }

    public byte[] bytes() { return bytes.clone(); }

    MemorySegment in(Arena arena) {
        MemorySegment s = arena.allocate(Nccl_h.NCCL_UNIQUE_ID);
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s;
    }

    @Override
    public boolean equals(Object o) { return o instanceof NcclUniqueId u && Arrays.equals(bytes, u.bytes); }

    @Override
    public int hashCode() { return Arrays.hashCode(bytes); }
}
