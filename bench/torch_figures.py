"""The figures of bench/cpu-figures measured with PyTorch, same workloads and rules (best of 5 after warm-up).

Usage: torch_figures.py [figure ...]   the figures, after a header (lines starting with #) that
                                        says what the reference runs: BLAS library, OpenBLAS core,
                                        threads, CPU
       torch_figures.py --check-product  exit 0 if a float32 product through PyTorch's BLAS agrees
                                        with one computed without BLAS, else 1 (used to see whether
                                        OpenBLAS runs correctly with the environment as it is)
       torch_figures.py --serve          the header, "# ready", then for each figure named on a
                                        line of standard input its line (name nan - if unknown)
"""
import collections
import ctypes
import os
import sys
import time

import torch

THREADS = os.cpu_count() or 1
torch.set_num_threads(THREADS)


def blas_libraries():
    """Paths of the BLAS/LAPACK libraries mapped into this process (PyTorch links libblas.so.3)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line and ("blas" in line or "lapack" in line)}
    return sorted(paths)


def mapped_paths():
    with open("/proc/self/maps") as maps:
        return {line.split()[-1] for line in maps if "/" in line}


def page_fault_micros():
    """Microseconds per 4 KiB page to map and first touch 64 MiB of fresh memory (best of 3).

    On a physical machine this is a fraction of a microsecond; on some virtual machines every
    fresh page goes to the host, tens of times slower, and then an allocator that returns freed
    memory to the system (glibc's does for blocks of 32 MiB and more) pays it on every result."""
    import mmap
    size, best = 64 << 20, float("inf")
    for _ in range(3):
        m = mmap.mmap(-1, size)
        t0 = time.perf_counter()
        for off in range(0, size, 4096):
            m[off] = 1
        best = min(best, time.perf_counter() - t0)
        m.close()
    return best / (size // 4096) * 1e6


def blas_library():
    """The mapped libblas.so.3 (the library PyTorch's BLAS calls bind to), or None."""
    return next((p for p in blas_libraries() if os.path.basename(p).startswith("libblas.so")), None)


def openblas(path):
    """The library at path as a ctypes OpenBLAS, or None when it is not OpenBLAS."""
    try:
        lib = ctypes.CDLL(path)
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_get_config.restype = ctypes.c_char_p
        return lib
    except (OSError, AttributeError, TypeError):
        return None


def cpu_model():
    fields = {}
    with open("/proc/cpuinfo") as info:
        for line in info:
            if ":" in line:
                key, value = (x.strip() for x in line.split(":", 1))
                fields.setdefault(key, value)
    flags = fields.get("flags", "").split()
    vec = "avx512f" if "avx512f" in flags else "avx2" if "avx2" in flags else "no avx2"
    return (f"{fields.get('model name', '?')} (family {fields.get('cpu family', '?')}, model {fields.get('model', '?')}), "
            f"{THREADS} CPUs, {vec}")


def header():
    """What the reference actually runs, printed before its figures."""
    print(f"# reference: PyTorch {torch.__version__}, {torch.get_num_threads()} intra-op threads")
    blas = blas_library()
    print(f"# reference BLAS: {blas or 'no libblas.so mapped'} (mapped: {', '.join(blas_libraries()) or 'none'})")
    lib = openblas(blas) if blas else None
    if lib is None:
        print("# WARNING: the reference BLAS is NOT OpenBLAS (no openblas_get_corename): netlib's reference "
              "libblas runs PyTorch's products unoptimised, and the comparison is not a fair one")
    else:
        lib.openblas_set_num_threads(THREADS)
        print(f"# OpenBLAS: {lib.openblas_get_config().decode()}; core {lib.openblas_get_corename().decode()}; "
              f"{lib.openblas_get_num_threads()} threads")
    alloc = next((p for p in mapped_paths() if "jemalloc" in os.path.basename(p)), None)
    print(f"# reference allocator: {alloc + ' (MALLOC_CONF=' + os.environ.get('MALLOC_CONF', '') + ')' if alloc else 'glibc malloc'}; "
          f"a first touch of fresh memory costs {page_fault_micros():.2f} us per 4 KiB page here")
    pins = {k: v for k, v in os.environ.items() if k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    print(f"# OpenBLAS pins in the environment: {pins or 'none'}")
    print(f"# CPU: {cpu_model()}", flush=True)


def check_product():
    """A float32 product through BLAS against the same product summed in float64 without BLAS."""
    gen = torch.Generator().manual_seed(0)
    m, k, n = 200, 300, 100
    a, b = torch.rand(m, k, generator=gen) - 0.5, torch.rand(k, n, generator=gen) - 0.5
    got = (a @ b).double()
    want = (a.double().unsqueeze(2) * b.double().unsqueeze(0)).sum(1)
    err = (got - want).abs().max().item()
    print(f"# product check ({m}x{k} @ {k}x{n}): max abs error {err:.2e}", file=sys.stderr)
    return err < 1e-4


def best_seconds(fn, inner):
    for _ in range(3):
        for _ in range(inner):
            fn()
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        best = min(best, (time.perf_counter() - t0) / inner)
    return best


def sgemm(n):
    a, b = torch.rand(n, n), torch.rand(n, n)
    return 2.0 * n ** 3 / best_seconds(lambda: a @ b, 1 if n >= 2048 else 3) / 1e9


def add_16m():
    x, y = torch.rand(1 << 24), torch.rand(1 << 24)
    return 12.0 * (1 << 24) / best_seconds(lambda: x + y, 3) / 1e9


def bcast_add():
    x, y = torch.rand(4096, 1024), torch.rand(1024)
    return (8.0 * 4096 * 1024 + 4 * 1024) / best_seconds(lambda: x + y, 3) / 1e9


def bcast_add_ring16():
    x, y = torch.rand(4096, 1024), torch.rand(1024)
    ring = collections.deque()

    def add():
        ring.append(x + y)
        if len(ring) > 16:
            ring.popleft()

    return (8.0 * 4096 * 1024 + 4 * 1024) / best_seconds(add, 3) / 1e9


def relu_16m():
    x = torch.randn(1 << 24)
    return 8.0 * (1 << 24) / best_seconds(lambda: torch.relu(x), 3) / 1e9


def sum_16m():
    x = torch.rand(1 << 24)
    return 4.0 * (1 << 24) / best_seconds(lambda: x.sum(), 3) / 1e9


def tiny_add():
    a, b = torch.rand(3), torch.rand(3)
    reps = 200_000

    def loop():
        for _ in range(reps):
            a + b

    return best_seconds(loop, 1) / reps * 1e6


def spiral_workload(hidden):
    torch.manual_seed(0)
    per_class, k = 100, 3
    gen = torch.Generator().manual_seed(0)
    xs, cs = [], []
    for j in range(k):
        r = torch.arange(per_class, dtype=torch.float32) / per_class
        t = j * 4 + 4 * r + torch.randn(per_class, generator=gen) * 0.2
        xs.append(torch.stack([r * torch.sin(t), r * torch.cos(t)], 1))
        cs.append(torch.full((per_class,), j, dtype=torch.int64))
    points, classes = torch.cat(xs), torch.cat(cs)
    model = torch.nn.Sequential(torch.nn.Linear(2, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 3))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    idx = torch.arange(0, points.shape[0], dtype=torch.int64)
    axis = torch.linspace(-1, 1, 200)
    grid = torch.stack([axis.reshape(1, 200).expand(200, 200), axis.reshape(200, 1).expand(200, 200)], 2)

    def step():
        opt.zero_grad()
        s = model(points)
        loss = (s - (s[idx, classes] - 1.0).unsqueeze(1)).clamp(min=0).sum()
        loss.backward()
        opt.step()
        return loss

    def grid_eval():
        with torch.no_grad():
            return model(grid).argmax(2)

    return step, grid_eval


def spiral_step(hidden):
    step, _ = spiral_workload(hidden)
    return best_seconds(step, 20) * 1e6


def grid_eval():
    _, ev = spiral_workload(1000)
    return best_seconds(ev, 3) * 1e3


FIGURES = {
    "sgemm_256": (lambda: sgemm(256), "GFLOP/s"),
    "sgemm_1024": (lambda: sgemm(1024), "GFLOP/s"),
    "sgemm_2048": (lambda: sgemm(2048), "GFLOP/s"),
    "add_16M": (add_16m, "GB/s"),
    "bcast_add_4096x1024": (bcast_add, "GB/s"),
    # PyTorch's plain loop frees each result by refcount: the same loop as Flambeau's closed one
    "bcast_add_4096x1024_closed": (bcast_add, "GB/s"),
    # the last 16 results alive, the oldest freed as each new one comes (Flambeau closes it)
    "bcast_add_4096x1024_ring16": (bcast_add_ring16, "GB/s"),
    "relu_16M": (relu_16m, "GB/s"),
    "sum_16M": (sum_16m, "GB/s"),
    "tiny_add_latency": (tiny_add, "us"),
    "spiral_step_h100": (lambda: spiral_step(100), "us"),
    "spiral_step_h1000": (lambda: spiral_step(1000), "us"),
    "grid_eval_200x200_h1000": (grid_eval, "ms"),
}

if __name__ == "__main__":
    if sys.argv[1:] == ["--check-product"]:
        sys.exit(0 if check_product() else 1)
    if sys.argv[1:] == ["--serve"]:
        # driven by bench/cpu-figures in turns with Flambeau: one figure per line of input
        header()
        print("# ready", flush=True)
        for line in sys.stdin:
            name = line.strip()
            if name in FIGURES:
                fn, unit = FIGURES[name]
                print(f"{name} {fn():.3f} {unit}", flush=True)
            elif name:
                print(f"{name} nan -", flush=True)
        sys.exit(0)
    header()
    names = sys.argv[1:] or list(FIGURES)
    for name in names:
        if name in FIGURES:
            fn, unit = FIGURES[name]
            print(f"{name} {fn():.3f} {unit}", flush=True)
