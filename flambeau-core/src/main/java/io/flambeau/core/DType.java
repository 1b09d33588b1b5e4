package io.flambeau.core;

/**
 * Element types a tensor can hold, with PyTorch's names and promotion order.
 *
 * <p>Promotion follows PyTorch's category rule: bool &lt; integer &lt; floating; within a category
 * the wider type wins. float32 is the default floating type.
 */
public enum DType {
    BOOL("bool", 1),
    INT64("int64", 8),
    FLOAT32("float32", 4),
    FLOAT64("float64", 8);

    private final String pyName;
    private final int byteSize;

    DType(String pyName, int byteSize) {
        this.pyName = pyName;
        this.byteSize = byteSize;
    }

    /** The name PyTorch prints after {@code torch.} ("float32", "int64", ...). */
    public String pyName() { return pyName; }

    /** Bytes per element in device memory. */
    public int byteSize() { return byteSize; }

    public boolean isFloating() { return this == FLOAT32 || this == FLOAT64; }

    public boolean isIntegral() { return this == INT64 || this == BOOL; }

    /** The type PyTorch gives to the result of a binary op between tensors of these types. */
    public static DType promote(DType a, DType b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** Parses PyTorch's spelling: "float32", "float", "int64", "long", "bool", "float64", "double". */
    public static DType parse(String name) {
        return switch (name) {
            case "float32", "float", "torch.float32" -> FLOAT32;
            case "float64", "double", "torch.float64" -> FLOAT64;
            case "int64", "long", "torch.int64" -> INT64;
            case "bool", "torch.bool" -> BOOL;
            default -> throw new DTypeException("unknown dtype '" + name
                    + "': expected one of float32, float64, int64, bool");
        };
    }

    @Override
    public String toString() { return "torch." + pyName; }
}
