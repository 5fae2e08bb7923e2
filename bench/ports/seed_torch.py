"""The seed experiment as the original PyTorch script computes it: float32 on the CPU, statistics in float64.

Reads the tool's config (metrics.json's "config" or a --config file); same quantities as seed_numpy.py.
Prints one JSON line: wall seconds and the per-layer E[a²].
"""
import json, os, resource, sys, time
import torch

def main(path):
    t0 = time.perf_counter()
    text = json.load(open(path))
    cfg = text.get("config", text)
    B, n, L = cfg["batch"], cfg["width"], cfg["depth"]
    hist_layers, bins = set(cfg.get("histLayers", [1, 5, 10, 20])), cfg.get("bins", 60)
    gains = {"xavier": 1.0, "he": 2.0}
    acts = {"identity": lambda z: z, "relu": torch.relu}
    # as a practitioner's script runs: every core (Debian's torch starts with one thread here)
    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(cfg.get("seed", 0))
    out = {"patterns": []}
    with torch.no_grad():
        for pat in cfg["patterns"]:
            init, act = pat.split(":")[:2]
            x = torch.randn(B, n)
            a_ex2 = []
            for l in range(1, L + 1):
                w = torch.randn(n, n) * (gains[init] / n) ** 0.5
                z = x @ w.T
                a = acts[act](z)
                for v in (z, a):
                    v64 = v.double()
                    (v64 * v64).mean().item(); v64.mean().item(); v.min().item(); v.max().item()
                    norms = v64.norm(dim=1, keepdim=True)
                    # the unit rows' sum without forming them: Σ_i v_i/‖v_i‖ = vᵀ·(1/‖v‖), zero rows left out
                    inv = torch.where(norms > 0, 1 / norms.clamp_min(1e-300), torch.zeros_like(norms))
                    s = (v64 * inv).sum(0)
                    ((s @ s - (norms > 0).sum()) / (B * (B - 1))).item()
                a_ex2.append((a.double() ** 2).mean().item())
                (a == 0).sum().item()
                if l in hist_layers:
                    torch.histc(z, bins=bins, min=z.min().item(), max=z.max().item())
                x = a
            out["patterns"].append({"pattern": pat, "a_ex2": a_ex2})
    out["wall_s"] = time.perf_counter() - t0
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps(out))

if __name__ == "__main__":
    main(sys.argv[1])
