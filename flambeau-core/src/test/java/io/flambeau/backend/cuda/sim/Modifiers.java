package io.flambeau.backend.cuda.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The dot-separated modifiers of one opcode ({@code setp.lt.and.f32} has lt, and, f32). Decoders
 * take the ones they understand; {@link #done()} then refuses any left over, so an unsupported
 * modifier is reported instead of silently ignored.
 */
final class Modifiers {
    final String base;
    private final String opcode;
    private final String[] mods;
    private final boolean[] used;
    private final int line;

    Modifiers(String opcode, int line) {
        String[] parts = opcode.split("\\.", -1);
        this.opcode = opcode;
        this.base = parts[0];
        this.mods = java.util.Arrays.copyOfRange(parts, 1, parts.length);
        this.used = new boolean[mods.length];
        this.line = line;
    }

    /** Takes {@code m} if present. */
    boolean has(String m) {
        for (int i = 0; i < mods.length; i++) {
            if (!used[i] && mods[i].equals(m)) {
                used[i] = true;
                return true;
            }
        }
        return false;
    }

    /** Takes and returns the first of {@code options} present, or null. */
    String first(String... options) {
        for (int i = 0; i < mods.length; i++) {
            if (used[i]) continue;
            for (String o : options) {
                if (mods[i].equals(o)) {
                    used[i] = true;
                    return o;
                }
            }
        }
        return null;
    }

    /** Takes every type modifier, in order. */
    List<PtxType> types() {
        List<PtxType> out = new ArrayList<>();
        for (int i = 0; i < mods.length; i++) {
            if (used[i]) continue;
            PtxType t = PtxType.parse(mods[i]);
            if (t != null) {
                used[i] = true;
                out.add(t);
            }
        }
        return out;
    }

    /** Takes exactly one type modifier. */
    PtxType type() {
        List<PtxType> ts = types();
        if (ts.size() != 1) throw error(ts.isEmpty() ? "missing type" : "expected one type but found " + ts.size());
        if (ts.get(0) == PtxType.F16) throw error("f16 is not supported by the simulator");
        return ts.get(0);
    }

    /** Takes a state-space modifier; GENERIC when there is none. */
    StateSpace space() {
        String s = first("global", "shared", "const", "param", "local");
        return s == null ? StateSpace.GENERIC : StateSpace.parse(s);
    }

    /** Takes a rounding modifier ({@code rn/rz/rm/rp/rni/rzi/rmi/rpi}); {@link Rounding#NONE} if none. */
    int rounding() {
        String s = first("rn", "rz", "rm", "rp", "rni", "rzi", "rmi", "rpi");
        return s == null ? Rounding.NONE : Rounding.parse(s);
    }

    /** Takes every modifier (for no-op instructions such as membar). */
    void takeAll() {
        java.util.Arrays.fill(used, true);
    }

    void done() {
        for (int i = 0; i < mods.length; i++) {
            if (!used[i]) throw error("unsupported modifier '." + mods[i] + "' on '" + opcode + "'");
        }
    }

    PtxSyntaxException error(String message) {
        return new PtxSyntaxException(line, message + " (in '" + opcode + "')");
    }
}
