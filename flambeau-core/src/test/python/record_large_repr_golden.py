"""Records how PyTorch prints tensors large enough to be summarised into
src/test/resources/golden/repr_large.jsonl (see LargeReprGoldenTest).

Run from flambeau-core/ with Debian's python3-torch (PyTorch 1.13.1):
    /usr/bin/python3 src/test/python/record_large_repr_golden.py

A case names how to build its tensor instead of listing every element, so tensors of millions or
(through expand, which allocates nothing) tens of billions of elements stay one line:
    values = arange(n, float64) * scale + offset, then values[i] = v for each [i, v] of "set",
    then bool: values > 0, else values.to(dtype); then reshape(shape); then expand(expand) if given.
Every step is exact IEEE arithmetic, so Flambeau builds the very same elements.
"""
import json
import torch

PATH = "src/test/resources/golden/repr_large.jsonl"


def build(make):
    v = torch.arange(make["n"], dtype=torch.float64) * make["scale"] + make["offset"]
    for i, value in make.get("set", []):
        v[i] = value
    v = v > 0 if make["dtype"] == "bool" else v.to(getattr(torch, make["dtype"]))
    v = v.reshape(make["shape"])
    if "expand" in make:
        v = v.expand(make["expand"])
    return v


def make(n, shape, dtype="float32", scale=1.0, offset=0.0, set_=None, expand=None):
    m = {"n": n, "shape": shape, "dtype": dtype, "scale": scale, "offset": offset}
    if set_:
        m["set"] = set_
    if expand:
        m["expand"] = expand
    return m


CASES = [
    # 1-d, fixed notation
    make(2000, [2000], scale=0.5, offset=1.5),
    # integer mode
    make(5000, [5000], scale=2.0, offset=-4000.0),
    # the middle holds 1e10, which would force scientific notation; only the edges count
    make(1000000, [1000, 1000], scale=1e-3, offset=2.0, set_=[[500500, 1e10]]),
    # and the other way round: a tiny hidden value does not force it either
    make(4096, [64, 64], scale=0.25, offset=2.0, set_=[[2080, 1e-7]]),
    make(6000, [3, 400, 5], dtype="float64", scale=0.125, offset=-100.0),
    # int64 width: the hidden -123456789 does not widen the shown elements
    make(2500, [50, 50], dtype="int64", scale=3.0, offset=-7.0, set_=[[1275, -123456789.0]]),
    make(2000, [2000], dtype="bool", offset=-999.5),
    # scientific notation chosen by the edges (max/min > 1000)
    make(2401, [7, 7, 7, 7]),
    # summarised but no dimension longer than 6: every element shows
    make(1296, [6, 6, 6, 6], scale=0.01, offset=-6.0),
    # long rows that wrap, and a dim of exactly 7 next to short ones
    make(7 * 2 * 1000, [7, 2, 1000], scale=1234.5678, offset=-8000000.0),
    # expanded views: tens of billions of elements that share a few dozen
    make(42, [6, 1, 7], scale=1.5, offset=-30.0, expand=[6, 1000000000, 7]),
    make(1, [1], expand=[3000000000]),
    make(12, [3, 4, 1], dtype="int64", scale=11.0, offset=-50.0, expand=[3, 4, 2500000000]),
]


def main():
    with open(PATH, "w") as f:
        for m in CASES:
            f.write(json.dumps({"make": m, "repr": str(build(m))}) + "\n")
    print("wrote %d cases to %s" % (len(CASES), PATH))


if __name__ == "__main__":
    main()
