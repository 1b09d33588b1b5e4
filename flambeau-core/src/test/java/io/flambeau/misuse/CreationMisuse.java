package io.flambeau.misuse;

import io.flambeau.Torch;
import io.flambeau.core.DType;
import io.flambeau.core.DTypeException;
import io.flambeau.core.DataException;
import io.flambeau.core.ShapeException;

import java.util.List;

import static io.flambeau.misuse.MisuseCase.of;

/** Making tensors: sizes that overflow or are negative, ranges, random draws, host data. */
final class CreationMisuse {
    private CreationMisuse() {}

    static List<MisuseCase> cases() {
        return List.of(
                of("zeros 2^62 x 4 overflows", ShapeException.class,
                        "RuntimeError: Storage size calculation overflowed with sizes=[4611686018427387904, 4]",
                        () -> Torch.zeros(1L << 62, 4),
                        "zeros", "Storage size calculation overflowed", "[4611686018427387904, 4]"),
                of("zeros 2^32 x 2^32 overflows", ShapeException.class,
                        "RuntimeError: Storage size calculation overflowed with sizes=[4294967296, 4294967296]",
                        () -> Torch.zeros(1L << 32, 1L << 32),
                        "zeros", "overflowed", "[4294967296, 4294967296]"),
                of("ones with an overflowing byte count", ShapeException.class,
                        "RuntimeError: Storage size calculation overflowed (the byte count, 2^61 elements of 8 bytes)",
                        () -> Torch.ones(DType.FLOAT64, 1L << 61),
                        "ones", "overflowed", "8 bytes"),
                of("rand overflows", ShapeException.class,
                        "RuntimeError: Storage size calculation overflowed with sizes=[...]",
                        () -> Torch.rand(1L << 40, 1L << 40),
                        "rand", "overflowed", "[1099511627776, 1099511627776]"),
                of("randn overflows", ShapeException.class,
                        "RuntimeError: Storage size calculation overflowed with sizes=[...]",
                        () -> Torch.randn(3, 1L << 62),
                        "randn", "overflowed"),
                of("randint overflows", ShapeException.class,
                        "RuntimeError: Storage size calculation overflowed with sizes=[...]",
                        () -> Torch.randint(0, 5, 1L << 31, 1L << 31, 4),
                        "randint", "overflowed"),
                of("full overflows", ShapeException.class,
                        "RuntimeError: Storage size calculation overflowed with sizes=[...]",
                        () -> Torch.full(new long[] {1L << 33, 1L << 33}, 2.0),
                        "full", "overflowed"),
                of("zeros negative dim", ShapeException.class,
                        "RuntimeError: Trying to create tensor with negative dimension -1: [2, -1]",
                        () -> Torch.zeros(2, -1),
                        "zeros", "negative dimension -1", "[2, -1]"),
                of("randn negative dim", ShapeException.class,
                        "RuntimeError: Trying to create tensor with negative dimension -3: [-3]",
                        () -> Torch.randn(-3),
                        "randn", "negative dimension -3"),
                of("eye negative n", ShapeException.class,
                        "RuntimeError: n must be greater or equal to 0, got -1",
                        () -> Torch.eye(-1),
                        "eye", "n=-1"),
                of("arange zero step", DataException.class,
                        "RuntimeError: step must be nonzero",
                        () -> Torch.arange(0.0, 5.0, 0.0),
                        "arange", "step must be nonzero"),
                of("arange step of the wrong sign", DataException.class,
                        "RuntimeError: upper bound and larger bound inconsistent with step sign",
                        () -> Torch.arange(5L, 0L, 1L),
                        "arange", "inconsistent with step sign"),
                of("arange infinite bound", DataException.class,
                        "RuntimeError: unsupported range: 0 -> inf",
                        () -> Torch.arange(0.0, Double.POSITIVE_INFINITY),
                        "arange", "finite"),
                of("arange too many elements", DataException.class,
                        "RuntimeError: invalid size, possible overflow?",
                        () -> Torch.arange(0.0, 1e300, 1e-300),
                        "arange", "overflow"),
                of("linspace negative steps", DataException.class,
                        "RuntimeError: number of steps must be non-negative",
                        () -> Torch.linspace(0, 1, -2),
                        "linspace", "non-negative", "-2"),
                of("randint empty range", DataException.class,
                        "RuntimeError: random_ expects 'from' to be less than 'to', but got from=3 >= to=3",
                        () -> Torch.randint(3, 3, 4),
                        "randint", "from=3 >= to=3"),
                of("rand of int64", DTypeException.class,
                        "RuntimeError: \"check_uniform_bounds\" not implemented for 'Long' (Flambeau: no int64 rand)",
                        () -> Torch.rand(Torch.generator(1), 2).to(DType.INT64).requiresGrad_(),
                        "only tensors of floating point", "int64"),
                of("tensor from a ragged list", DataException.class,
                        "ValueError: expected sequence of length 2 at dim 1 (got 1)",
                        () -> Torch.tensor(List.of(List.of(1, 2), List.of(3))),
                        "ragged", "length 2", "[1]"),
                of("tensor from a string", DataException.class,
                        "TypeError: new(): invalid data type 'str'",
                        () -> Torch.tensor("abc"),
                        "String"),
                of("tensor from null", DataException.class,
                        "RuntimeError: Could not infer dtype of NoneType",
                        () -> Torch.tensor(null),
                        "null"),
                of("a tensor larger than the memory", io.flambeau.core.FlambeauException.class,
                        "RuntimeError: [enforce fail at alloc_cpu.cpp] DefaultCPUAllocator: not enough memory: you tried to"
                                + " allocate 17179869056 bytes (CUDA: torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to"
                                + " allocate 16.00 GiB)",
                        () -> Torch.zeros(DType.FLOAT64, (1L << 31) - 16),
                        "out of memory", "tried to allocate 16.00 GiB"),
                of("eye negative m", ShapeException.class,
                        "RuntimeError: m must be greater or equal to 0, got -3",
                        () -> Torch.eye(2, -3),
                        "eye", "m=-3"),
                of("dtype from an unknown name", io.flambeau.core.DTypeException.class,
                        "AttributeError: module 'torch' has no attribute 'float16x'",
                        () -> DType.parse("float16x"),
                        "float16x", "float32")
        );
    }
}
