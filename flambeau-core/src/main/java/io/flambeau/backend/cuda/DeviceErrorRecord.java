package io.flambeau.backend.cuda;

import io.flambeau.core.ClassTargetMessage;
import io.flambeau.backend.AdvancedIndex;
import io.flambeau.core.IndexException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The device error record of one context: where kernels that check data (index bounds) leave the
 * first violation instead of stopping to ask the host. 32 bytes of device memory:
 * <pre>
 *   u32 flag (0 clear, 1 claimed by the first violation), u32 site, u32 which index, u32 unused,
 *   s64 the bad index, s64 the dim size
 * </pre>
 * A site names the op and its dims ({@link #site}); the kernels get its number as a parameter. The
 * record is read only at the host's synchronisation points, and only when a checking kernel was
 * queued since the last read, so code that checks nothing pays nothing; a violation found there is
 * thrown as the {@link IndexException} the CPU throws at once, and the record is cleared, so the
 * device stays usable.
 */
final class DeviceErrorRecord implements AutoCloseable {
    static final int BYTES = 32;

    /** {@code dims} null: a class-target site (a fused loss, with its ignore index), whose "which" is the row. */
    private record Site(String op, int[] dims, long ignoreIndex) {}

    private final CudaContext ctx;
    private final Map<String, Integer> siteIds = new ConcurrentHashMap<>();
    private final List<Site> sites = new CopyOnWriteArrayList<>();
    private final ByteBuffer host = ByteBuffer.allocateDirect(BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long address;
    /** A checking kernel was queued since the record was last read. */
    private volatile boolean armed;

    DeviceErrorRecord(CudaContext ctx) {
        this.ctx = ctx;
    }

    /** The record's device address, allocated and cleared on first use; marks the record to be read. */
    synchronized long arm() {
        if (address == 0) {
            ctx.makeCurrent();
            address = ctx.api.memAlloc(256);
            ctx.api.memsetD8Async(address, (byte) 0, BYTES, ctx.stream);
        }
        armed = true;
        return address;
    }

    /** The number a fused loss kernel records for a bad class target of {@code op}. */
    int targetSite(String op, long ignoreIndex) {
        return site(op + "[targets, ignore " + ignoreIndex + "]", () -> new Site(op, null, ignoreIndex));
    }

    /** The number a kernel records for an op and its dims (one per distinct pair, kept for the context's life). */
    int site(String op, int[] dims) {
        return site(op + java.util.Arrays.toString(dims), () -> new Site(op, dims.clone(), ClassTargetMessage.NO_IGNORE));
    }

    private int site(String key, java.util.function.Supplier<Site> site) {
        Integer id = siteIds.get(key);
        if (id != null) return id;
        synchronized (this) {
            return siteIds.computeIfAbsent(key, k -> {
                sites.add(site.get());
                return sites.size() - 1;
            });
        }
    }

    /**
     * Called after the stream was synchronised: throws the recorded violation, if any, and clears it.
     */
    synchronized void throwIfSet() {
        if (!armed) return;
        armed = false;
        host.clear();
        ctx.api.memcpyDtoH(host, address, BYTES);
        if (host.getInt(0) == 0) return;
        int site = host.getInt(4), which = host.getInt(8);
        long index = host.getLong(16), size = host.getLong(24);
        ctx.api.memsetD8Async(address, (byte) 0, BYTES, ctx.stream);
        Site s = sites.get(site);
        String what = s.dims == null
                ? ClassTargetMessage.outOfBounds(s.op, index, Integer.toUnsignedLong(which), size, s.ignoreIndex)
                : AdvancedIndex.outOfBounds(s.op, index, s.dims[which], size);
        throw new IndexException(what + " (checked on " + ctx.device + " by the kernel of that earlier " + s.op
                + "; it surfaced at this synchronisation, the first since)");
    }

    @Override
    public synchronized void close() {
        if (address != 0) ctx.api.memFree(address);
        address = 0;
    }
}
