package io.flambeau.distributed;

/**
 * How {@code allReduce} and {@code reduceScatter} combine the ranks' elements (PyTorch's
 * {@code ReduceOp}). On bool tensors SUM and MAX are a logical or, PRODUCT and MIN a logical and,
 * as in PyTorch; AVG is refused there. AVG of int64 divides the sum by the group size with C's
 * truncation toward zero (NCCL's integer average).
 *
 * <pre>{@code
 * group.allReduce(t, ReduceOp.AVG);   // the mean over ranks
 * }</pre>
 */
public enum ReduceOp {
    SUM("sum"), AVG("avg"), PRODUCT("product"), MIN("min"), MAX("max");

    private final String pyName;

    ReduceOp(String pyName) { this.pyName = pyName; }

    @Override
    public String toString() { return pyName; }
}
