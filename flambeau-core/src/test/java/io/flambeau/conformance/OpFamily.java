package io.flambeau.conformance;

import java.util.List;

/** One kind of operation a {@link SequenceGenerator} can add to a program. */
interface OpFamily {
    /** Adds one random operation of this family; false when the program has no operand it fits. */
    boolean emit(SequenceGenerator g);

    /** Every family, some listed twice to be drawn more often. */
    List<OpFamily> ALL = List.of(
            new ElementwiseOps(), new ElementwiseOps(), new ElementwiseOps(),
            new ViewOps(), new ViewOps(),
            new IndexingOps(), new IndexingOps(),
            new ReductionOps(), new ReductionOps(),
            new MatmulOps(),
            new JoinOps(),
            new InPlaceOps(), new InPlaceOps());
}
