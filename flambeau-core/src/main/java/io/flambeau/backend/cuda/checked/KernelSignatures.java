package io.flambeau.backend.cuda.checked;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters each {@code .entry} of a PTX module declares, as byte sizes in declaration order,
 * read once when the module is loaded: what a launch's {@link io.flambeau.backend.cuda.api.KernelArgs}
 * are checked against. A driver reads exactly the declared bytes through each {@code kernelParams}
 * pointer, so a missing argument reads past the array (garbage, or a crash) instead of failing.
 * A declaration this reader does not understand leaves that kernel unchecked rather than refused.
 */
final class KernelSignatures {
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([\\w$]+)\\s*(\\(([^)]*)\\))?");
    private static final Pattern TYPE = Pattern.compile("\\.[usbf](8|16|32|64)\\b");
    private static final Pattern COUNT = Pattern.compile("\\[(\\d+)]");

    private KernelSignatures() {}

    /** Kernel name to parameter sizes, for every entry of {@code ptx} this reader understands. */
    static Map<String, int[]> of(String ptx) {
        String text = ptx.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Map<String, int[]> kernels = new HashMap<>();
        Matcher m = ENTRY.matcher(text);
        while (m.find()) {
            int[] sizes = m.group(3) == null ? new int[0] : sizes(m.group(3));
            if (sizes != null) kernels.put(m.group(1), sizes);
        }
        return kernels;
    }

    private static int[] sizes(String params) {
        if (params.isBlank()) return new int[0];
        List<Integer> out = new ArrayList<>();
        for (String p : params.split(",")) {
            if (!p.contains(".param")) return null;
            Matcher t = TYPE.matcher(p);
            if (!t.find()) return null;
            int size = Integer.parseInt(t.group(1)) / 8;
            Matcher c = COUNT.matcher(p);
            if (c.find()) size *= Integer.parseInt(c.group(1));
            out.add(size);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
