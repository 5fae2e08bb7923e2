"""The seed experiment written as a practitioner would in numpy: float32 GEMM, float64 statistics.

Reads the tool's config (metrics.json's "config", or a run's --config file) so both run the same
experiment: batch × width inputs x ~ N(0, 1), depth layers z = x·Wᵀ, W ~ N(0, gain²·k/fan_in)
(xavier k = 1, he k = 2), a = φ(z); per layer E[x²], E[z²], E[a²], the zero fraction, moments,
extremes, the mean pairwise cosine of z and a, and histograms of z at the histogram layers.
Prints one JSON line: wall seconds by phase and the per-layer E[a²] (for a check against the tool).
"""
import json, resource, sys, time
import numpy as np

def main(path):
    t0 = time.perf_counter()
    text = json.load(open(path))
    cfg = text.get("config", text)
    B, n, L = cfg["batch"], cfg["width"], cfg["depth"]
    hist_layers, bins = set(cfg.get("histLayers", [1, 5, 10, 20])), cfg.get("bins", 60)
    gains = {"xavier": 1.0, "he": 2.0}
    acts = {"identity": lambda z: z, "relu": lambda z: np.maximum(z, 0, dtype=np.float32)}
    rng = np.random.default_rng(cfg.get("seed", 0))
    out = {"patterns": []}
    for pat in cfg["patterns"]:
        init, act = pat.split(":")[:2]
        x = rng.standard_normal((B, n), dtype=np.float32)
        layers = []
        for l in range(1, L + 1):
            w = (rng.standard_normal((n, n), dtype=np.float32) * np.float32(np.sqrt(gains[init] / n)))
            z = x @ w.T
            a = acts[act](z)
            rec = {"layer": l}
            for name, v in (("x", x), ("z", z), ("a", a)):
                # float64 sums without float64 copies of the batch: einsum casts block by block
                flat = v.reshape(-1)
                rec[name + "_ex2"] = float(np.einsum("i,i->", flat, flat, dtype=np.float64) / v.size)
                if name != "x":
                    rec[name + "_mean"] = float(flat.sum(dtype=np.float64) / v.size); rec[name + "_min"] = float(v.min()); rec[name + "_max"] = float(v.max())
                    norms = np.sqrt(np.einsum("ij,ij->i", v, v, dtype=np.float64))
                    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
                    s = np.einsum("i,ij->j", inv, v, dtype=np.float64)
                    rec[name + "_corr"] = float((s @ s - (norms > 0).sum()) / (B * (B - 1)))
            rec["zero_frac"] = float(np.count_nonzero(a == 0) / a.size)
            if l in hist_layers:
                rec["hist"] = np.histogram(z, bins=bins)[0].tolist()
            layers.append(rec)
            x = a
        out["patterns"].append({"pattern": pat, "a_ex2": [r["a_ex2"] for r in layers]})
    out["wall_s"] = time.perf_counter() - t0
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps(out))

if __name__ == "__main__":
    main(sys.argv[1])
