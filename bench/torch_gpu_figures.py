"""The spiral step of bench/gpu-figures measured with PyTorch on cuda:0, eager and replayed from a
CUDA graph (torch.cuda.graphs), same workload and rules (synchronised rounds, best of 5 after warm-up).
Prints nothing and exits 3 when this PyTorch has no CUDA device."""
import sys
import time

import torch


def best_seconds(fn, inner):
    # warm-up: at least 3 rounds and 1 s, as bench/gpu-figures does for Flambeau
    warm_until, rounds = time.perf_counter() + 1.0, 0
    while rounds < 3 or time.perf_counter() < warm_until:
        for _ in range(inner):
            fn()
        torch.cuda.synchronize()
        rounds += 1
    best = float("inf")
    for _ in range(5):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        torch.cuda.synchronize()
        best = min(best, (time.perf_counter() - t0) / inner)
    return best


def spiral(hidden, device, capturable=False):
    torch.manual_seed(0)
    per_class, k = 100, 3
    gen = torch.Generator().manual_seed(0)
    xs, cs = [], []
    for j in range(k):
        r = torch.arange(per_class, dtype=torch.float32) / per_class
        t = j * 4 + 4 * r + torch.randn(per_class, generator=gen) * 0.2
        xs.append(torch.stack([r * torch.sin(t), r * torch.cos(t)], 1))
        cs.append(torch.full((per_class,), j, dtype=torch.int64))
    points, classes = torch.cat(xs).to(device), torch.cat(cs).to(device)
    model = torch.nn.Sequential(torch.nn.Linear(2, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 3)).to(device)
    # PyTorch's fastest Adam on CUDA, fused (one kernel for all parameters); for a captured step also
    # capturable, so that the step count stays on the device and the graph can be replayed
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, fused=True, capturable=capturable)
    idx = torch.arange(0, points.shape[0], dtype=torch.int64, device=device)

    def step():
        opt.zero_grad(set_to_none=True)
        s = model(points)
        loss = (s - (s[idx, classes] - 1.0).unsqueeze(1)).clamp(min=0).sum()
        loss.backward()
        opt.step()
        return loss

    return step


def graphed(step):
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            step()  # warm-up on a side stream, as torch.cuda.graphs asks
    torch.cuda.current_stream().wait_stream(side)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        step()
    return g.replay


if __name__ == "__main__":
    if not torch.cuda.is_available():
        sys.exit(3)
    dev = torch.device("cuda:0")
    for h in (100, 1000):
        print(f"spiral_step_h{h} {best_seconds(spiral(h, dev), 50) * 1e6:.3f} us", flush=True)
        print(f"spiral_step_h{h}_graph {best_seconds(graphed(spiral(h, dev, capturable=True)), 50) * 1e6:.3f} us", flush=True)
