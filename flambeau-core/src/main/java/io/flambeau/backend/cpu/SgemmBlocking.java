package io.flambeau.backend.cpu;

import static io.flambeau.backend.cpu.SgemmMicroKernel.MR;
import static io.flambeau.backend.cpu.SgemmMicroKernel.NR;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The cache blocking of {@link Sgemm}'s packed path, chosen once at start-up from the sizes the
 * CPU reports for its level-1 data cache and its level-2 cache (never from a list of CPU names).
 * Each thread sweeps its own rows of A across the whole packed B block (threads that share a
 * block pack parts of it, but each reads all of it), so each rule is about one core's caches:
 * <ul>
 *   <li>{@code kc}, the k-depth of a block: one A micro-panel (MR x kc floats) takes at most a
 *       quarter of L1d, so it stays there for a whole sweep across the packed B block while the
 *       B micro-panels stream past it.</li>
 *   <li>{@code nc}, the columns of B packed at a time: the packed B block (kc x nc floats) is as
 *       large as L2 up to 1 MiB, and half of L2 beyond that ({@link #bBlockBytes}). The kernel
 *       streams B from L2 at 128 bytes per 24 fmas, and a wider block means A is re-packed less
 *       often (once per block of columns); on a Zen 5 core with 1 MiB L2, nc = 1024 (all of L2)
 *       measured ahead of a block half that size. On a Xeon with 2 MiB L2, a block of all of L2
 *       ran the kernel sweep ~15% and the single-threaded 2048 product ~5% slower than a 1 MiB
 *       one: there the A panels, C tiles and packing traffic through L2 evict part of a block
 *       that fills it.</li>
 *   <li>{@code mc}, the rows of A packed at a time: 12 micro-panels. It only sets how often
 *       packing A interleaves with compute.</li>
 * </ul>
 * With 48 KiB L1d and 1 MiB L2 (AMD Zen 5) this gives kc = 256, nc = 1024; with 32 KiB L1d and
 * 1 MiB L2 (Zen 4, Skylake-X) kc = 168, nc = 1536; with 48 KiB L1d and 2 MiB L2 (Sapphire Rapids
 * and later Xeons) kc = 256, nc = 1024.
 *
 * <p>Cache sizes come from {@code /sys/devices/system/cpu/cpu0/cache}; where a virtual machine
 * leaves that out, from {@code getconf} (glibc asks the CPU with cpuid); failing both, 32 KiB
 * and 1 MiB are assumed.
 *
 * @param kc        k-depth of a packed block
 * @param mc        rows of A packed at a time (a multiple of MR)
 * @param nc        columns of B packed at a time (a multiple of NR)
 * @param l1dBytes  the level-1 data cache the blocking was chosen for
 * @param l2Bytes   the level-2 cache the blocking was chosen for
 * @param source    where the cache sizes came from
 */
record SgemmBlocking(int kc, int mc, int nc, long l1dBytes, long l2Bytes, String source) {

    static final long DEFAULT_L1D = 32 * 1024;
    static final long DEFAULT_L2 = 1024 * 1024;

    /** The blocking for this machine. */
    static SgemmBlocking get() {
        return Holder.MACHINE;
    }

    /** The blocking for caches of the given sizes. */
    static SgemmBlocking forCaches(long l1dBytes, long l2Bytes, String source) {
        int kc = clamp((int) (l1dBytes / 4 / (4L * MR)) / 8 * 8, 64, 512);
        int nc = Math.max(4 * NR, (int) (bBlockBytes(l2Bytes) / (4L * kc)) / NR * NR);
        int mc = 12 * MR;
        return new SgemmBlocking(kc, mc, nc, l1dBytes, l2Bytes, source);
    }

    /** The bytes the packed B block may take: all of L2 up to 1 MiB, half of L2 beyond that. */
    static long bBlockBytes(long l2Bytes) {
        return Math.min(l2Bytes, Math.max(1L << 20, l2Bytes / 2));
    }

    @Override
    public String toString() {
        return "sgemm tile " + MR + "x" + NR + ", kc=" + kc + " mc=" + mc + " nc=" + nc
                + " for L1d " + l1dBytes / 1024 + " KiB, L2 " + l2Bytes / 1024 + " KiB (" + source + ")";
    }

    private static int clamp(int x, int lo, int hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    private static final class Holder {
        static final SgemmBlocking MACHINE = detect();
    }

    /**
     * Each core's L2 in bytes as the CPU reports it (sysfs, then getconf, else
     * {@link #DEFAULT_L2}), read without the blocking itself: the blocking's tile sizes come from
     * the Vector API, which a JVM without the vector module does not have.
     */
    static long reportedL2Bytes() {
        long[] sysfs = fromSysfs();
        if (sysfs[1] > 0) return sysfs[1];
        long[] conf = fromGetconf();
        return conf[1] > 0 ? conf[1] : DEFAULT_L2;
    }

    private static SgemmBlocking detect() {
        long[] sysfs = fromSysfs();
        if (sysfs[0] > 0 && sysfs[1] > 0) return forCaches(sysfs[0], sysfs[1], "sysfs");
        long[] conf = fromGetconf();
        if (conf[0] > 0 && conf[1] > 0) return forCaches(conf[0], conf[1], "getconf");
        return forCaches(DEFAULT_L1D, DEFAULT_L2, "assumed: the CPU reported no cache sizes");
    }

    /** {L1d, L2} in bytes from sysfs, 0 where absent. */
    private static long[] fromSysfs() {
        long[] out = new long[2];
        Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache");
        for (int i = 0; i < 8; i++) {
            Path index = dir.resolve("index" + i);
            try {
                int level = Integer.parseInt(Files.readString(index.resolve("level")).trim());
                String type = Files.readString(index.resolve("type")).trim();
                long size = parseSize(Files.readString(index.resolve("size")).trim());
                if (level == 1 && type.equals("Data")) out[0] = size;
                if (level == 2 && !type.equals("Instruction")) out[1] = size;
            } catch (IOException | RuntimeException e) {
                // absent or unreadable: this index tells nothing
            }
        }
        return out;
    }

    /** "48K", "1024K", "2M" or plain bytes. */
    static long parseSize(String s) {
        char unit = Character.toUpperCase(s.charAt(s.length() - 1));
        long scale = unit == 'K' ? 1024 : unit == 'M' ? 1024 * 1024 : 1;
        return Long.parseLong(scale == 1 ? s : s.substring(0, s.length() - 1)) * scale;
    }

    /** {L1d, L2} in bytes from {@code getconf}, 0 where unknown. */
    private static long[] fromGetconf() {
        long[] out = new long[2];
        try {
            Process p = new ProcessBuilder("getconf", "-a").redirectErrorStream(true).start();
            String text;
            try (InputStream in = p.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroy();
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 2) continue;
                if (f[0].equals("LEVEL1_DCACHE_SIZE")) out[0] = Long.parseLong(f[1]);
                if (f[0].equals("LEVEL2_CACHE_SIZE")) out[1] = Long.parseLong(f[1]);
            }
        } catch (IOException | RuntimeException e) {
            // no getconf: sizes unknown
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }
}
