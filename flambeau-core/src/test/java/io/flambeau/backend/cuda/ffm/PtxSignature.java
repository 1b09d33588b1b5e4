package io.flambeau.backend.cuda.ffm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameter lists of a PTX module's kernels: what the driver reads from a module to know how
 * many bytes each {@code kernelParams[i]} points at. The loopback's executors use it to read a
 * launch's arguments back, exactly as the GPU would receive them.
 */
record PtxSignature(String kernel, List<Param> params) {
    /** One {@code .param}: its name, PTX type ({@code u64}, {@code b8}, ...), size and alignment in bytes. */
    record Param(String name, String type, int size, int alignment) {}

    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([\\w$]+)\\s*\\(([^)]*)\\)", Pattern.DOTALL);
    private static final Pattern PARAM = Pattern.compile(
            "\\.param((?:\\s+\\.(?:align\\s+\\d+|ptr|global|shared|const|local))*)\\s+\\.([a-z]+)(\\d+)((?:\\s+\\.(?:align\\s+\\d+|ptr|global|shared|const|local))*)\\s+([\\w$]+)\\s*(?:\\[(\\d+)])?");
    private static final Pattern ALIGN = Pattern.compile("\\.align\\s+(\\d+)");

    /** Every kernel of the module, by name, in declaration order. */
    static Map<String, PtxSignature> parse(String ptx) {
        String text = ptx.replaceAll("//[^\n]*", "").replaceAll("(?s)/\\*.*?\\*/", "");
        Map<String, PtxSignature> out = new LinkedHashMap<>();
        Matcher e = ENTRY.matcher(text);
        while (e.find()) {
            List<Param> params = new ArrayList<>();
            for (String decl : e.group(2).split(",")) {
                if (decl.isBlank()) continue;
                Matcher p = PARAM.matcher(decl.strip());
                if (!p.matches()) throw new IllegalArgumentException("unsupported .param declaration: " + decl.strip());
                int elem = Integer.parseInt(p.group(3)) / 8;
                int count = p.group(6) != null ? Integer.parseInt(p.group(6)) : 1;
                Matcher a = ALIGN.matcher(p.group(1) + p.group(4));
                int align = a.find() ? Integer.parseInt(a.group(1)) : elem;
                params.add(new Param(p.group(5), p.group(2) + p.group(3), elem * count, align));
            }
            out.put(e.group(1), new PtxSignature(e.group(1), List.copyOf(params)));
        }
        return out;
    }
}
