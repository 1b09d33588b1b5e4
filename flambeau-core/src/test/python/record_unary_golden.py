"""Records the golden cases of the unary ops added after the first recording (log1p, expm1, erf, gelu)
from PyTorch into src/test/resources/golden/ops.jsonl, in that file's format (see GoldenOpsSuite).

Run from flambeau-core/ with Debian's python3-torch (PyTorch 1.13.1):
    /usr/bin/python3 src/test/python/record_unary_golden.py
It replaces the cases it owns (ids starting with "unary.<op>.") and keeps every other line.
"""
import json
import math
import torch

PATH = "src/test/resources/golden/ops.jsonl"
SHAPES = [[7], [3, 5], [2, 3, 4]]


def tensor_json(t):
    def num(v):
        if isinstance(v, float) and not math.isfinite(v):
            return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
        return v
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
            "data": [num(v) for v in t.detach().reshape(-1).tolist()]}


def case(case_id, op, kwargs, x, fn):
    x = x.clone().requires_grad_(True)
    out = fn(x)
    up = torch.randn(out.shape)
    (out * up).sum().backward()
    return {"id": case_id, "op": op, "kwargs": kwargs, "inputs": [tensor_json(x)], "output": tensor_json(out),
            "upstream": tensor_json(up), "grads": [tensor_json(x.grad)]}


def main():
    torch.manual_seed(16)
    cases = []
    ops = [
        ("log1p", {}, lambda s: torch.rand(s) * 4 - 0.95, torch.log1p),   # the domain is x > -1
        ("expm1", {}, lambda s: torch.randn(s) * 2, torch.expm1),
        ("erf", {}, lambda s: torch.randn(s) * 2, torch.erf),
        ("gelu", {}, lambda s: torch.randn(s) * 3, torch.nn.functional.gelu),
        ("gelu", {"approximate": "tanh"}, lambda s: torch.randn(s) * 3,
         lambda x: torch.nn.functional.gelu(x, approximate="tanh")),
    ]
    for op, kwargs, make, fn in ops:
        tag = op + (".tanh" if kwargs else "")
        for i, shape in enumerate(SHAPES):
            cases.append(case("unary.%s.%d" % (tag, i), op, kwargs, make(shape), fn))
    # values where the accurate forms matter: tiny arguments and the edges of the domain
    edge = torch.tensor([1e-8, -1e-8, 1e-4, -0.999, 0.0, 30.0, -30.0, 88.0])
    cases.append(case("unary.log1p.edges", "log1p", {}, edge[:6], torch.log1p))
    cases.append(case("unary.expm1.edges", "expm1", {}, edge, torch.expm1))
    cases.append(case("unary.erf.edges", "erf", {}, edge, torch.erf))
    cases.append(case("unary.gelu.edges", "gelu", {}, edge, torch.nn.functional.gelu))
    owned = tuple("unary.%s." % t for t in ["log1p", "expm1", "erf", "gelu", "gelu.tanh"])
    with open(PATH) as f:
        kept = [line for line in f if not json.loads(line)["id"].startswith(owned)]
    with open(PATH, "w") as f:
        f.writelines(kept)
        for c in cases:
            f.write(json.dumps(c) + "\n")


if __name__ == "__main__":
    main()
