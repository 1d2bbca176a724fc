#!/usr/bin/python3
"""The same stages as core's trace, in numpy (OpenBLAS), for comparison.

Projection QKV = Wqkv·X; per head S = kᵀq, scale, softmax down each column,
Z_h = v·A; output O = Wo·Z. float32, features × tokens, as in core.
Usage: bench/numpy_reference.py [seq d_model heads head_dim] [repeats] [keep|discard]
(both by default: keeping every S and A as core's trace does, then discarding them)
Needs Debian's python3-numpy (and libopenblas0-pthread for OpenBLAS). Debian
12's OpenBLAS 0.3.21 takes Sapphire Rapids for "Prescott" (≈55 GFLOP/s sgemm
here); run with OPENBLAS_CORETYPE=SkylakeX for its AVX-512 kernels (≈210).
"""
import statistics
import sys
import time

import numpy as np


def trace(X, W, Wo, heads, head_dim, keep=True):
    da = heads * head_dim
    QKV = W @ X
    Z = np.empty((da, X.shape[1]), dtype=np.float32)
    scale = np.float32(1.0 / np.sqrt(head_dim))
    S_all, A_all = [], []
    for h in range(heads):
        q = QKV[h * head_dim:(h + 1) * head_dim]
        k = QKV[da + h * head_dim:da + (h + 1) * head_dim]
        v = QKV[2 * da + h * head_dim:2 * da + (h + 1) * head_dim]
        S = k.T @ q
        scaled = S * scale
        e = np.exp(scaled - scaled.max(axis=0, keepdims=True))
        A = e / e.sum(axis=0, keepdims=True)
        Z[h * head_dim:(h + 1) * head_dim] = v @ A
        if keep:  # core's trace keeps every S and A for display
            S_all.append(S)
            A_all.append(A)
    return Wo @ Z


def main():
    args = [int(a) for a in sys.argv[1:6]]
    seq, d, heads, head_dim = args[:4] if len(args) >= 4 else (1024, 768, 12, 64)
    repeats = args[4] if len(args) >= 5 else 15
    rng = np.random.default_rng(1)
    X = rng.standard_normal((d, seq), dtype=np.float32)
    W = rng.standard_normal((3 * heads * head_dim, d), dtype=np.float32) / np.sqrt(d)
    Wo = rng.standard_normal((d, heads * head_dim), dtype=np.float32)
    modes = {"keep": (True,), "discard": (False,)}.get(sys.argv[6] if len(sys.argv) > 6 else "",
                                                        (True, False))
    for keep in modes:
        trace(X, W, Wo, heads, head_dim, keep)  # warm up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            trace(X, W, Wo, heads, head_dim, keep)
            times.append((time.perf_counter() - start) * 1e3)
        what = "keeping S and A" if keep else "discarding S and A"
        print(f"numpy trace seq={seq} d_model={d} heads={heads} head_dim={head_dim} ({what}): "
              f"median {statistics.median(times):.4g} ms over {repeats} runs")


if __name__ == "__main__":
    main()
