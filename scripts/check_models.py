#!/usr/bin/env python3
"""Checks assets/models.json against its schema rules and recomputes the KV
cache per token of every model, the figures docs/models.md quotes.

Usage: scripts/check_models.py [path/to/models.json] [--table]
  Prints `key bytes` (whole model, bf16) per line; with --table prints the
  docs/models.md arithmetic column instead. Exits 1 with one line per problem.

KV elements per token and layer (the gallery rule, see docs/models.md):
  MHA/GQA/MQA: kv_heads * (head_dim + v_head_dim); MLA: kv_rank + rope_dim;
  sliding layers at full cost; shared-KV layers and linear layers: none.
"""
import json
import re
import sys

BF16_BYTES = 2
KEY_PATTERN = re.compile(r"^[a-z0-9.-]+$")
KINDS = ("global", "sliding", "linear")


def kind_problems(model, index, kind):
    where = f"{model['key']}: layer_kinds[{index}]"
    problems = []
    if kind.get("kind") not in KINDS:
        problems.append(f"{where}.kind must be one of {KINDS}")
    if kind.get("count", 0) <= 0:
        problems.append(f"{where}.count must be positive")
    if kind.get("kind") == "linear":
        return problems
    heads, kv_heads = kind.get("heads", 0), kind.get("kv_heads", 0)
    if heads <= 0 or kv_heads <= 0 or heads % kv_heads != 0:
        problems.append(f"{where}: kv_heads {kv_heads} must divide heads {heads}")
    if kind.get("head_dim", 0) <= 0:
        problems.append(f"{where}.head_dim must be positive")
    if (kind.get("kind") == "sliding") != ("window" in kind):
        problems.append(f"{where}: a window belongs to sliding layers only")
    if "window" in kind and not 0 < kind["window"] <= model["context"]:
        problems.append(f"{where}.window must lie in 1..context")
    if not 0 <= kind.get("kv_shared_layers", 0) <= kind["count"]:
        problems.append(f"{where}.kv_shared_layers must lie in 0..count")
    mla = kind.get("mla")
    if mla is not None:
        if kv_heads != heads:
            problems.append(f"{where}: MLA layers list kv_heads = heads")
        if kind["head_dim"] != mla["nope_dim"] + mla["rope_dim"]:
            problems.append(f"{where}: head_dim must equal nope_dim + rope_dim")
        if mla["v_head_dim"] != kind.get("v_head_dim", kind["head_dim"]):
            problems.append(f"{where}: mla.v_head_dim must equal v_head_dim")
        if mla["kv_rank"] <= 0 or mla["rope_dim"] <= 0:
            problems.append(f"{where}: kv_rank and rope_dim must be positive")
    return problems


def model_problems(model):
    problems = []
    if not KEY_PATTERN.match(model.get("key", "")):
        problems.append(f"{model.get('key')!r}: key must be lowercase, digits, '-', '.'")
    if not model.get("sources"):
        problems.append(f"{model['key']}: no sources")
    total = sum(kind.get("count", 0) for kind in model["layer_kinds"])
    if total != model["layers"]:
        problems.append(f"{model['key']}: layer counts sum to {total}, not {model['layers']}")
    for index, kind in enumerate(model["layer_kinds"]):
        problems += kind_problems(model, index, kind)
    return problems


def caching_layers(kind):
    return kind["count"] - kind.get("kv_shared_layers", 0)


def elements_per_layer(kind):
    """KV cache elements one caching layer of this kind keeps per token."""
    if kind["kind"] == "linear":
        return 0
    if "mla" in kind:
        return kind["mla"]["kv_rank"] + kind["mla"]["rope_dim"]
    return kind["kv_heads"] * (kind["head_dim"] + kind.get("v_head_dim", kind["head_dim"]))


def kv_bytes_per_token(model, bytes_per_element=BF16_BYTES):
    return sum(caching_layers(kind) * elements_per_layer(kind) * bytes_per_element
               for kind in model["layer_kinds"])


def arithmetic(model):
    """The hand arithmetic of the bf16 figure, as docs/models.md writes it."""
    terms = []
    for kind in model["layer_kinds"]:
        if kind["kind"] == "linear":
            continue
        layers = caching_layers(kind)
        if "mla" in kind:
            mla = kind["mla"]
            terms.append(f"{layers} · ({mla['kv_rank']} + {mla['rope_dim']}) · 2 B")
        elif "v_head_dim" in kind and kind["v_head_dim"] != kind["head_dim"]:
            terms.append(f"{layers} · {kind['kv_heads']} · ({kind['head_dim']} + "
                         f"{kind['v_head_dim']}) · 2 B")
        else:
            terms.append(f"{layers} · 2 · {kind['kv_heads']} · {kind['head_dim']} · 2 B")
    return " + ".join(terms) + f" = {kv_bytes_per_token(model):,} B"


def main(argv):
    path = next((a for a in argv if not a.startswith("--")), "assets/models.json")
    with open(path, encoding="utf-8") as file:
        gallery = json.load(file)
    problems = [] if gallery.get("schema") == 1 else ["schema must be 1"]
    keys = [model["key"] for model in gallery["models"]]
    problems += [f"{key}: duplicate key" for key in set(keys) if keys.count(key) > 1]
    for model in gallery["models"]:
        problems += model_problems(model)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    for model in gallery["models"]:
        if "--table" in argv:
            print(f"{model['key']}: {arithmetic(model)}")
        else:
            print(f"{model['key']} {kv_bytes_per_token(model)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
