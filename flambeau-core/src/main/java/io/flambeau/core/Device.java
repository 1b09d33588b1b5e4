package io.flambeau.core;

import java.util.Objects;

/**
 * Where a tensor's memory lives: {@code cpu} or {@code cuda:N}. Value type, compared by value.
 */
public final class Device {
    public enum Kind { CPU, CUDA }

    public static final Device CPU = new Device(Kind.CPU, -1);

    private final Kind kind;
    private final int index;

    private Device(Kind kind, int index) {
        this.kind = kind;
        this.index = index;
    }

    public static Device cuda(int index) {
        if (index < 0) throw new DeviceException("cuda device index must be >= 0, got " + index);
        return new Device(Kind.CUDA, index);
    }

    /** Parses "cpu", "cuda", "cuda:1". */
    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) return CPU;
        if (s.equals("cuda")) return cuda(0);
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                throw new DeviceException("bad device '" + spec + "': expected cpu, cuda or cuda:N");
            }
        }
        throw new DeviceException("bad device '" + spec + "': expected cpu, cuda or cuda:N");
    }

    public Kind kind() { return kind; }

    /** Device ordinal for CUDA; -1 for the CPU. */
    public int index() { return index; }

    public boolean isCuda() { return kind == Kind.CUDA; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.kind == kind && d.index == index;
    }

    @Override
    public int hashCode() { return Objects.hash(kind, index); }

    @Override
    public String toString() { return kind == Kind.CPU ? "cpu" : "cuda:" + index; }
}
