package io.flambeau.backend.cpu;

import io.flambeau.backend.BinaryOp;
import io.flambeau.backend.CounterRng;
import io.flambeau.backend.UnaryOp;
import io.flambeau.backend.View;
import io.flambeau.core.DType;

/**
 * The piecewise route of the CPU backend: every primitive with an off-heap operand (or an operand
 * view too long for an array's int index) runs here. The output's flat index range is split into
 * pieces of at most {@link #piece()} elements ({@code flambeau.cpu.pieceElements}); each operand's
 * elements for a piece are gathered into a heap array ({@link PieceCopy}), the ordinary array
 * kernel runs on dense views over those arrays ({@link CpuStorage#borrow}), and the result piece is
 * scattered into the output. Pieces run in parallel (each thread with its own buffers); whatever
 * combines pieces (reductions, put) does so in piece order, so results never depend on timing.
 * Reductions and matmul have their own splitting ({@link PiecewiseReduce}, {@link PiecewiseMatmul}).
 */
final class CpuPieces {
    private CpuPieces() {}

    /**
     * Elements per piece. The default keeps a piece's buffers in a core's cache (so a gathered
     * piece is read from cache by the kernel) while amortising the per-piece bookkeeping.
     */
    private static volatile int pieceElements = Math.max(1, Integer.getInteger("flambeau.cpu.pieceElements", 1 << 16));

    /** Elements per piece ({@code flambeau.cpu.pieceElements}). */
    static int piece() { return pieceElements; }

    /** Tests set small pieces to put piece boundaries inside rows, tiles and reductions. */
    static void setPieceElements(int n) { pieceElements = Math.max(1, n); }
    /** The longest view an array kernel's int indices can walk. */
    private static final long ARRAY_LIMIT = Integer.MAX_VALUE - 8;

    /** Whether any of the views needs the piecewise route. */
    static boolean needed(View... views) {
        for (View v : views) {
            if (((CpuStorage) v.storage()).offHeap() || v.numel() > ARRAY_LIMIT) return true;
        }
        return false;
    }

    /** A piece's kernel: {@code ins} and {@code out} are dense 1-D views of the piece's length. */
    interface Kernel {
        void run(long from, View[] ins, View out);
    }

    /** Runs {@code kernel} piece by piece over {@code out}'s positions; {@code ins} have out's shape. */
    static void map(View out, View[] ins, Kernel kernel) {
        long total = out.numel();
        if (total == 0) return;
        int piece = (int) Math.min(piece(), total);
        long pieces = (total + piece - 1) / piece;
        CpuThreads.forRange(pieces, (p0, p1) -> {
            CpuStorage[] bufs = new CpuStorage[ins.length];
            for (int i = 0; i < ins.length; i++) bufs[i] = buffer(ins[i].dtype(), piece);
            CpuStorage obuf = buffer(out.dtype(), piece);
            View[] pv = new View[ins.length];
            for (long p = p0; p < p1; p++) {
                long from = p * piece;
                int n = (int) Math.min(piece, total - from);
                for (int i = 0; i < ins.length; i++) {
                    PieceCopy.gather(ins[i], from, n, bufs[i].array());
                    pv[i] = dense(bufs[i], n);
                }
                kernel.run(from, pv, dense(obuf, n));
                PieceCopy.scatter(obuf.array(), out, from, n);
            }
        });
    }

    static void fill(View dst, double value) {
        long total = dst.numel();
        if (total == 0) return;
        int piece = (int) Math.min(piece(), total);
        CpuStorage buf = buffer(dst.dtype(), piece);
        CpuElementwise.fill(dense(buf, piece), value);
        long pieces = (total + piece - 1) / piece;
        CpuThreads.forRange(pieces, (p0, p1) -> {
            for (long p = p0; p < p1; p++) {
                long from = p * piece;
                PieceCopy.scatter(buf.array(), dst, from, (int) Math.min(piece, total - from));
            }
        });
    }

    static void copy(View src, View dst) {
        if (src.dtype() == dst.dtype()) {
            // no conversion: gather straight into the output piece
            map(dst, new View[0], (from, ins, out) ->
                    PieceCopy.gather(src, from, (int) out.numel(), ((CpuStorage) out.storage()).array()));
        } else {
            map(dst, new View[] {src}, (from, ins, out) -> CpuElementwise.copy(ins[0], out));
        }
    }

    static void unary(UnaryOp op, View x, View out, double p, double q) {
        map(out, new View[] {x}, (from, ins, o) -> CpuElementwise.unary(op, ins[0], o, p, q));
    }

    static void binary(BinaryOp op, View a, View b, View out) {
        map(out, new View[] {a, b}, (from, ins, o) -> CpuElementwise.binary(op, ins[0], ins[1], o));
    }

    static void binaryScalar(BinaryOp op, View a, CpuStorage scalar, boolean reversed, View out) {
        map(out, new View[] {a}, (from, ins, o) -> {
            View sv = new View(scalar, 0, new long[] {o.numel()}, new long[] {0});
            if (reversed) CpuElementwise.binary(op, sv, ins[0], o);
            else CpuElementwise.binary(op, ins[0], sv, o);
        });
    }

    static void where(View cond, View a, View b, View out) {
        map(out, new View[] {cond, a, b}, (from, ins, o) -> CpuElementwise.where(ins[0], ins[1], ins[2], o));
    }

    /** Counters follow the flat index, so the values equal the array route's for the same seed. */
    static void random(CounterRng.Kind kind, View out, long seed, long counter, double a, double b) {
        map(out, new View[0], (from, ins, o) -> CpuBackend.randomDense(kind, (CpuStorage) o.storage(), 0,
                (int) o.numel(), seed, counter + from, a, b));
    }

    /** {@code out[i] = src's element at absolute offset offsets[i]} (long offsets). */
    static void take(View src, View offsets, View out) {
        CpuStorage s = (CpuStorage) src.storage();
        map(out, new View[] {offsets}, (from, ins, o) -> {
            long[] at = ((CpuStorage) ins[0].storage()).l;
            CpuStorage ob = (CpuStorage) o.storage();
            int n = (int) o.numel();
            for (int i = 0; i < n; i++) copyElement(s, at[i], ob, i);
        });
    }

    /**
     * {@code dst's storage at offsets[i] (+)= values[i]}: pieces run in order on this thread, so
     * repeated offsets end as on the array route (last write wins, or every value added).
     */
    static void put(View dst, View offsets, View values, boolean accumulate) {
        CpuStorage d = (CpuStorage) dst.storage();
        long total = offsets.numel();
        if (total == 0) return;
        int piece = (int) Math.min(piece(), total);
        CpuStorage ob = buffer(DType.INT64, piece), vb = buffer(values.dtype(), piece);
        for (long from = 0; from < total; from += piece) {
            int n = (int) Math.min(piece, total - from);
            PieceCopy.gather(offsets, from, n, ob.l);
            PieceCopy.gather(values, from, n, vb.array());
            for (int i = 0; i < n; i++) {
                long at = ob.l[i];
                if (!accumulate) {
                    copyElement(vb, i, d, at);
                    continue;
                }
                switch (d.dtype()) {
                    case FLOAT32 -> d.writeD(at, (float) (d.readD(at) + vb.f[i])); // a float add: exact in double
                    case FLOAT64 -> d.writeD(at, d.readD(at) + vb.d[i]);
                    case INT64 -> d.writeL(at, d.readL(at) + vb.l[i]);
                    case BOOL -> d.writeL(at, d.readL(at) != 0 || vb.b[i] ? 1 : 0);
                }
            }
        }
    }

    /** A dense copy of a view that fits an array, in a fresh array (one walk, bulk copies per run). */
    static Object download(View v) {
        Object out = CpuStorage.freshArray(v.dtype(), (int) v.numel());
        PieceCopy.gather(v, 0, (int) v.numel(), out);
        return out;
    }

    /** One element, same dtype, between storages of either form (exact for every dtype). */
    private static void copyElement(CpuStorage from, long i, CpuStorage to, long j) {
        switch (to.dtype()) {
            case FLOAT32, FLOAT64 -> to.writeD(j, from.readD(i));
            case INT64, BOOL -> to.writeL(j, from.readL(i));
        }
    }

    /** A fresh heap buffer of {@code n} elements, as a borrowed (untracked, never pooled) storage. */
    static CpuStorage buffer(DType dtype, int n) {
        return CpuStorage.borrow(CpuStorage.freshArray(dtype, n));
    }

    /** The first {@code n} elements of a buffer as a dense 1-D view. */
    static View dense(CpuStorage buf, int n) {
        return new View(buf, 0, new long[] {n}, new long[] {1});
    }
}
