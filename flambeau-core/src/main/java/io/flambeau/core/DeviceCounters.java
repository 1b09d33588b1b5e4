package io.flambeau.core;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one device was asked to do, counted at the driver boundary: kernel launches by kernel name,
 * GEMM calls, host↔device copies, device-to-device copies and memsets, host synchronisations and
 * driver allocations. An immutable snapshot; {@link #minus} gives the work done between two
 * snapshots, e.g. one training step:
 *
 * <pre>{@code
 * DeviceCounters before = Cuda.counters(device);
 * step();
 * System.out.println(Cuda.counters(device).minus(before));
 * }</pre>
 *
 * <p>{@code synchronizations} counts every wait of the host for the device (stream, context and
 * event synchronisations); a synchronous copy that waits for the queue counts as its copy only.
 */
public record DeviceCounters(Map<String, Long> launchesByKernel, long gemms, long hostToDevice,
                             long deviceToHost, long deviceToDevice, long memsets, long synchronizations,
                             long allocations, long frees) {

    public DeviceCounters {
        launchesByKernel = Collections.unmodifiableMap(new TreeMap<>(launchesByKernel));
    }

    /** A snapshot of nothing. */
    public static DeviceCounters zero() {
        return new DeviceCounters(Map.of(), 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Kernel launches of every kernel (GEMM calls not included: see {@link #gemms}). */
    public long launches() {
        long n = 0;
        for (long v : launchesByKernel.values()) n += v;
        return n;
    }

    /** Launches of the kernel named {@code kernel} (its PTX entry name). */
    public long launches(String kernel) {
        return launchesByKernel.getOrDefault(kernel, 0L);
    }

    /** Work queued on the device: kernel launches plus GEMM calls (each GEMM is at least one launch). */
    public long launchesWithGemms() {
        return launches() + gemms;
    }

    /** The counts accumulated since {@code earlier}, a snapshot of the same device taken before. */
    public DeviceCounters minus(DeviceCounters earlier) {
        Map<String, Long> diff = new TreeMap<>();
        for (Map.Entry<String, Long> e : launchesByKernel.entrySet()) {
            long d = e.getValue() - earlier.launches(e.getKey());
            if (d != 0) diff.put(e.getKey(), d);
        }
        for (Map.Entry<String, Long> e : earlier.launchesByKernel.entrySet()) {
            if (!launchesByKernel.containsKey(e.getKey())) diff.put(e.getKey(), -e.getValue());
        }
        return new DeviceCounters(diff, gemms - earlier.gemms, hostToDevice - earlier.hostToDevice,
                deviceToHost - earlier.deviceToHost, deviceToDevice - earlier.deviceToDevice, memsets - earlier.memsets,
                synchronizations - earlier.synchronizations, allocations - earlier.allocations, frees - earlier.frees);
    }

    /** One line of totals, then one line per kernel with its launch count. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(launches()).append(" launches, ").append(gemms).append(" GEMMs, ")
                .append(hostToDevice).append(" H2D, ").append(deviceToHost).append(" D2H, ")
                .append(deviceToDevice).append(" D2D, ").append(memsets).append(" memsets, ")
                .append(synchronizations).append(" syncs, ").append(allocations).append(" allocs, ")
                .append(frees).append(" frees");
        int width = 0;
        for (String k : launchesByKernel.keySet()) width = Math.max(width, k.length());
        for (Map.Entry<String, Long> e : launchesByKernel.entrySet()) {
            sb.append('\n').append("  ").append(e.getKey()).append(" ".repeat(width - e.getKey().length()))
                    .append("  ").append(e.getValue());
        }
        return sb.toString();
    }
}
