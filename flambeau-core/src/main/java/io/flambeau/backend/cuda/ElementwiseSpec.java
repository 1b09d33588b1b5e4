package io.flambeau.backend.cuda;

import io.flambeau.core.DType;

import java.util.List;
import java.util.Locale;

/**
 * Everything that determines one generated elementwise kernel, and so its cache key: the kind, the
 * op, the operand dtypes, and the indexing variant (dense, or strided of a given rank with a 32- or
 * 64-bit index). Shapes, strides, offsets, sizes and scalars are kernel parameters, so one kernel
 * serves every tensor with the same variant.
 *
 * @param inputs     dtypes of the input operands (FILL: none; WHERE: cond, a, b)
 * @param rank       collapsed rank of the strided variant (0 when dense)
 * @param dense      every operand is dense from its offset: element i is at offset + i
 * @param wideIndex  64-bit index arithmetic (numel does not fit in 32 bits)
 * @param reversed   BINARY_SCALAR only: {@code scalar op a} instead of {@code a op scalar}
 */
record ElementwiseSpec(Kind kind, String op, List<DType> inputs, DType out, int rank, boolean dense,
                       boolean wideIndex, boolean reversed) {

    /** ADD_RELU: {@code relu(a + b)}, a linear layer's bias and activation in one pass. */
    enum Kind { FILL, COPY, UNARY, BINARY, BINARY_SCALAR, WHERE, ADD_RELU }

    ElementwiseSpec {
        inputs = List.copyOf(inputs);
        if (dense) {
            rank = 0;
            wideIndex = false; // the dense variant does no index arithmetic
        }
    }

    static ElementwiseSpec of(Kind kind, String op, List<DType> inputs, DType out, StridedLayout layout, boolean reversed) {
        return new ElementwiseSpec(kind, op, inputs, out, layout.rank(), layout.dense(), layout.needsWideIndex(), reversed);
    }

    /** A readable, unique PTX entry name, e.g. {@code ew_binary_add_f32_f32_to_f32_r2_i32}. */
    String kernelName() {
        StringBuilder sb = new StringBuilder("ew_").append(kind.name().toLowerCase(Locale.ROOT));
        if (op != null) sb.append('_').append(op.toLowerCase(Locale.ROOT));
        if (reversed) sb.append("_rev");
        for (DType t : inputs) sb.append('_').append(suffix(t));
        sb.append("_to_").append(suffix(out));
        sb.append(dense ? "_dense" : "_r" + rank + (wideIndex ? "_i64" : "_i32"));
        return sb.toString();
    }

    static String suffix(DType t) {
        return switch (t) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT64 -> "s64";
            case BOOL -> "b8";
        };
    }
}
