#!/usr/bin/python3
"""The peer of `attention-by-hand --export`: numpy computes both traces (one
head H·dh wide, and H heads) and matplotlib draws the same matrices, at the
same places, sizes and colour maps, into a PNG of the same pixel size.

What to draw is read from an export's JSON sidecar (`drawn_matrices`), so the
two draw the same count of matrices of the same shapes.
Usage: bench/matplotlib_peer.py SIDECAR.json OUT.png
Needs Debian's python3-numpy and python3-matplotlib.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def trace(X, W, Wo, heads, head_dim):
    """Every matrix of one attention, by name, features × tokens as in core."""
    da = heads * head_dim
    QKV = W @ X
    out = {"X": X, "Wqkv": W, "QKV": QKV, "Wo": Wo}
    Z = np.empty((da, X.shape[1]), dtype=np.float32)
    scale = np.float32(1.0 / np.sqrt(head_dim))
    for h in range(heads):
        q = QKV[h * head_dim:(h + 1) * head_dim]
        k = QKV[da + h * head_dim:da + (h + 1) * head_dim]
        v = QKV[2 * da + h * head_dim:2 * da + (h + 1) * head_dim]
        S = k.T @ q
        e = np.exp(S * scale - (S * scale).max(axis=0, keepdims=True))
        A = e / e.sum(axis=0, keepdims=True)
        Z[h * head_dim:(h + 1) * head_dim] = v @ A
        out.update({f"S_{h + 1}": S, f"A_{h + 1}": A, f"Z_{h + 1}": Z[h * head_dim:(h + 1) * head_dim]})
    out["Z"] = Z
    out["O"] = Wo @ Z
    return out


def main():
    sidecar = json.load(open(sys.argv[1]))
    shape = sidecar["shape"]
    seq, d, heads, head_dim = shape["seq"], shape["d_model"], shape["heads"], shape["head_dim"]
    da = heads * head_dim
    rng = np.random.default_rng(1)
    X = rng.standard_normal((d, seq), dtype=np.float32)
    W = rng.standard_normal((3 * da, d), dtype=np.float32) / np.float32(np.sqrt(d))
    Wo = rng.standard_normal((d, da), dtype=np.float32) / np.float32(np.sqrt(da))
    traces = {"one-head": trace(X, W, Wo, 1, da), "heads": trace(X, W, Wo, heads, head_dim)}
    width, height = sidecar["image"]["width"], sidecar["image"]["height"]
    scale = sidecar["export"]["scale"]
    dpi = 100
    fig = plt.figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    for m in sidecar["drawn_matrices"]:
        x0, y0, x1, y1 = (v * scale for v in m["rect"])
        ax = fig.add_axes([x0 / width, 1 - y1 / height, (x1 - x0) / width, (y1 - y0) / height])
        values = traces.get(m["panel"], traces["heads"]).get(m["title"].split()[0])
        if values is None or values.shape != (m["rows"], m["cols"]):
            values = np.zeros((m["rows"], m["cols"]), dtype=np.float32)
        cmap = "RdBu_r" if m["colormap"] == "diverging" else "viridis"
        ax.imshow(values, cmap=cmap, vmin=m["lo"], vmax=m["hi"], aspect="auto",
                  interpolation="nearest")
        ax.set_title(m["title"], fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.savefig(sys.argv[2], dpi=dpi)


if __name__ == "__main__":
    main()
