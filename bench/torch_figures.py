"""The figures of bench/cpu-figures measured with PyTorch, same workloads and rules (best of 5 after warm-up)."""
import sys
import time

import torch

torch.set_num_threads(2)


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


FIGURES = {
    "sgemm_256": (lambda: sgemm(256), "GFLOP/s"),
    "sgemm_1024": (lambda: sgemm(1024), "GFLOP/s"),
    "sgemm_2048": (lambda: sgemm(2048), "GFLOP/s"),
    "add_16M": (add_16m, "GB/s"),
    "bcast_add_4096x1024": (bcast_add, "GB/s"),
    "relu_16M": (relu_16m, "GB/s"),
    "sum_16M": (sum_16m, "GB/s"),
    "tiny_add_latency": (tiny_add, "us"),
}

if __name__ == "__main__":
    names = sys.argv[1:] or list(FIGURES)
    for name in names:
        if name in FIGURES:
            fn, unit = FIGURES[name]
            print(f"{name} {fn():.3f} {unit}", flush=True)
