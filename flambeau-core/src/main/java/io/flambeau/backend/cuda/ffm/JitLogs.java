package io.flambeau.backend.cuda.ffm;

import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts a failed module load's JIT log beside the PTX it talks about. ptxas reports positions as
 * {@code "ptxas application ptx input, line 12; error : ..."}; this lists the PTX with line numbers,
 * the reported lines marked and a few lines of context around each, so the exception message alone
 * shows what the compiler rejected. Short modules are listed whole.
 */
final class JitLogs {
    private static final Pattern LINE = Pattern.compile("line (\\d+)");
    private static final int CONTEXT = 3;
    private static final int WHOLE_UP_TO = 40;

    private JitLogs() {}

    /** The numbered PTX excerpt for {@code log}, headed by what it is. */
    static String numberedPtx(String ptx, String log) {
        String[] lines = ptx.split("\n", -1);
        TreeSet<Integer> reported = new TreeSet<>();
        Matcher m = LINE.matcher(log == null ? "" : log);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            if (n >= 1 && n <= lines.length) reported.add(n);
        }
        TreeSet<Integer> shown = new TreeSet<>();
        if (lines.length <= WHOLE_UP_TO || reported.isEmpty()) {
            for (int i = 1; i <= Math.min(lines.length, WHOLE_UP_TO); i++) shown.add(i);
        }
        for (int r : reported) {
            for (int i = Math.max(1, r - CONTEXT); i <= Math.min(lines.length, r + CONTEXT); i++) shown.add(i);
        }
        int width = String.valueOf(lines.length).length();
        StringBuilder sb = new StringBuilder("PTX (").append(lines.length).append(" lines; > marks the lines the JIT log reports):");
        int previous = 0;
        for (int i : shown) {
            if (i > previous + 1) sb.append("\n  ...");
            sb.append('\n').append(reported.contains(i) ? '>' : ' ')
                    .append(String.format("%" + width + "d | ", i)).append(lines[i - 1].stripTrailing());
            previous = i;
        }
        if (previous < lines.length) sb.append("\n  ... (").append(lines.length - previous).append(" more lines)");
        return sb.toString();
    }
}
