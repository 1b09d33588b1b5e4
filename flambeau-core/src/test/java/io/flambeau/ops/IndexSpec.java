package io.flambeau.ops;

import io.flambeau.backend.BinaryOp;
import io.flambeau.core.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python index expressions the tests and golden cases are written in, such as
 * {@code "[0, 1:]"}, {@code "[::3, 1::2]"}, {@code "[..., None, -1]"}, {@code "[[0, 2, 3]]"},
 * {@code "[I, J]"} or {@code "[A>30]"}, into {@link IndexItem}s.
 *
 * <p>Entries: integers, slices {@code start:stop:step} with omitted parts, {@code ...},
 * {@code None}, (nested) lists of integers (int64 tensors), lists of True/False (bool masks),
 * names looked up in {@code names}, and {@code NAME>number} / {@code NAME<number} comparisons
 * (bool masks computed from the named tensor).
 */
final class IndexSpec {
    private final String text;
    private final Map<String, RawTensor> names;
    private int pos;

    private IndexSpec(String text, Map<String, RawTensor> names) {
        this.text = text.replace(" ", "");
        this.names = names;
    }

    static List<IndexItem> parse(String spec) {
        return parse(spec, Map.of());
    }

    static List<IndexItem> parse(String spec, Map<String, RawTensor> names) {
        IndexSpec p = new IndexSpec(spec, names);
        p.expect('[');
        List<IndexItem> items = new ArrayList<>();
        while (p.peek() != ']') {
            items.add(p.entry());
            if (p.peek() == ',') p.pos++;
        }
        p.expect(']');
        if (p.pos != p.text.length()) throw new IllegalArgumentException("trailing text in index spec: " + spec);
        return items;
    }

    private IndexItem entry() {
        char c = peek();
        if (c == '[') return new IndexItem.Tensor(list());
        if (text.startsWith("...", pos)) {
            pos += 3;
            return new IndexItem.Ellipsis();
        }
        if (text.startsWith("None", pos)) {
            pos += 4;
            return new IndexItem.NewAxis();
        }
        if (Character.isLetter(c)) return new IndexItem.Tensor(named());
        Long start = optionalInt();
        if (peek() != ':') return new IndexItem.At(start);
        pos++;
        Long stop = optionalInt();
        long step = 1;
        if (peek() == ':') {
            pos++;
            Long s = optionalInt();
            if (s != null) step = s;
        }
        return new IndexItem.Range(start, stop, step);
    }

    /** A (nested) list of ints or bools as an int64 or bool tensor. */
    private RawTensor list() {
        List<Object> tree = listTree();
        List<Long> shape = new ArrayList<>();
        for (Object level = tree; level instanceof List<?> l; level = l.isEmpty() ? null : l.get(0)) shape.add((long) l.size());
        List<Object> flat = new ArrayList<>();
        flatten(tree, flat);
        long[] s = shape.stream().mapToLong(Long::longValue).toArray();
        if (!flat.isEmpty() && flat.get(0) instanceof Boolean) {
            boolean[] b = new boolean[flat.size()];
            for (int i = 0; i < b.length; i++) b[i] = (Boolean) flat.get(i);
            return RawTensor.fromHost(b, s, Device.CPU);
        }
        return RawTensor.fromHost(flat.stream().mapToLong(o -> (Long) o).toArray(), s, Device.CPU);
    }

    private List<Object> listTree() {
        expect('[');
        List<Object> items = new ArrayList<>();
        while (peek() != ']') {
            if (peek() == '[') items.add(listTree());
            else if (text.startsWith("True", pos)) { pos += 4; items.add(true); }
            else if (text.startsWith("False", pos)) { pos += 5; items.add(false); }
            else items.add(optionalInt());
            if (peek() == ',') pos++;
        }
        expect(']');
        return items;
    }

    private static void flatten(Object node, List<Object> out) {
        if (node instanceof List<?> l) for (Object o : l) flatten(o, out);
        else out.add(node);
    }

    private RawTensor named() {
        int start = pos;
        while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) pos++;
        String name = text.substring(start, pos);
        RawTensor t = names.get(name);
        if (t == null) throw new IllegalArgumentException("unknown name in index spec: " + name);
        char c = peek();
        if (c != '>' && c != '<') return t;
        pos++;
        int numStart = pos;
        while (pos < text.length() && "-.0123456789".indexOf(text.charAt(pos)) >= 0) pos++;
        double v = Double.parseDouble(text.substring(numStart, pos));
        return Elementwise.binaryScalar("spec", c == '>' ? BinaryOp.GT : BinaryOp.LT, t, v, true, false);
    }

    private Long optionalInt() {
        int start = pos;
        if (peek() == '-') pos++;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
        return pos == start ? null : Long.parseLong(text.substring(start, pos));
    }

    private char peek() {
        if (pos >= text.length()) throw new IllegalArgumentException("index spec ends early: " + text);
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) throw new IllegalArgumentException("expected '" + c + "' at " + pos + " in " + text);
        pos++;
    }
}
