#!/usr/bin/env python3
"""Lists the imports between the crate's modules and the loops among them.

Run from the repository root: `python3 scripts/imports.py` (any Python 3.8+, no packages).

For every `.rs` file under `src/` (test code left out: `tests.rs`, `*_tests.rs` and whatever
follows a `#[cfg(test)]` line), every path `crate::a::b`, `super::a`, `self::a` and, in the
binaries, `fairground::a` is resolved to the module it names. It prints

1. the edges between the library's top-level modules (`core`, `protocol`, `session`, ...),
   with the layer of each, `UPWARD` where a module imports one of a higher layer and
   `SIDEWAYS` where it imports one of its own layer (other than the allowed pairs);
2. every import loop: for each module, the groups of its direct children that import each
   other in a cycle (e.g. `core::models::{logistic, newton}`), and the edges of each loop.

The exit status is 1 when there is a loop or an upward or sideways import, so the test command
can run it.
"""

import os
import re
import sys
from collections import defaultdict

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SRC = os.path.join(ROOT, "src")

# The layers of docs/architecture.md: a module may import its own layer and those below.
LAYERS = {
    "core": 0,
    "charts": 1,
    "catalog": 1,
    "protocol": 1,
    "lessons": 1,
    "session": 2,
    "figures": 2,
    "export": 2,
    "bench": 2,
    "page": 3,
    "ui": 4,
}

# Imports within one layer are not allowed, except these (importer, imported): the worker
# writes the predictions file with export's one writer.
SIDEWAYS = {("session", "export")}

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def module_of(path, crate_root):
    """The module path (list of names) of a file, relative to its crate root directory."""
    rel = os.path.relpath(path, crate_root)
    parts = rel[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return parts


def strip_tests(text):
    lines = []
    for line in text.splitlines():
        if line.strip().startswith("#[cfg(test)]"):
            break
        # Line comments and doc comments name paths in prose; leave them out.
        lines.append(re.sub(r"//.*", "", line))
    return "\n".join(lines)


def expand_use(tree):
    """`a::{b, c::{d, e}}` -> [[a, b], [a, c, d], [a, c, e]] (names only, `as` dropped)."""
    tree = re.sub(r"\s+", "", tree)
    out = []

    def walk(prefix, s):
        # split s at top-level commas
        depth, start, items = 0, 0, []
        for i, ch in enumerate(s):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                items.append(s[start:i])
                start = i + 1
        items.append(s[start:])
        for item in items:
            if not item:
                continue
            if "{" in item:
                head, rest = item.split("{", 1)
                head_parts = [p for p in head.split("::") if p]
                walk(prefix + head_parts, rest[:-1])
            else:
                item = item.split("as")[0] if re.search(r"\bas\b", item) else item
                out.append(prefix + [p for p in item.split("::") if p])

    walk([], tree)
    return out


def paths_in(text):
    """Every path used in a file: from `use` trees and from inline `a::b::c` expressions."""
    paths = []
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        paths.extend(expand_use(m.group(1)))
    body = re.sub(r"\buse\s+[^;]+;", "", text)
    for m in re.finditer(rf"\b(?:{IDENT}::)+{IDENT}", body):
        paths.append(m.group(0).split("::"))
    return paths


def collect():
    """Files as (crate, module path, text) for the library and the `fairground` binary."""
    files = []
    for dirpath, _, names in os.walk(SRC):
        for name in names:
            if not name.endswith(".rs") or name == "tests.rs" or name.endswith("_tests.rs"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, SRC)
            if rel.startswith("bin" + os.sep):
                crate_dir = os.path.join(SRC, *rel.split(os.sep)[:2])
                crate = "bin/" + rel.split(os.sep)[1]
                mod = module_of(path, crate_dir)
            elif rel == "main.rs":
                crate, mod = "bin/fairground-app", []
            else:
                crate, mod = "lib", module_of(path, SRC)
            with open(path, encoding="utf-8") as f:
                files.append((crate, mod, strip_tests(f.read())))
    return files


def main():
    files = collect()
    modules = defaultdict(set)  # crate -> set of module paths (tuples)
    for crate, mod, _ in files:
        for k in range(len(mod) + 1):
            modules[crate].add(tuple(mod[:k]))

    def resolve(crate, mod, path):
        """(crate, module tuple) named by `path` used in module `mod`, or None."""
        if not path:
            return None
        head = path[0]
        if head == "crate":
            target_crate, base, rest = crate, (), path[1:]
        elif head == "fairground" and crate != "lib":
            target_crate, base, rest = "lib", (), path[1:]
        elif head == "super":
            target_crate, base, rest = crate, tuple(mod), path
            while rest and rest[0] == "super":
                base, rest = base[:-1], rest[1:]
        elif head == "self":
            target_crate, base, rest = crate, tuple(mod), path[1:]
        else:
            return None
        best = base
        for k in range(1, len(rest) + 1):
            cand = base + tuple(rest[:k])
            if cand in modules[target_crate]:
                best = cand
            else:
                break
        return target_crate, best

    edges = set()  # ((crate, mod), (crate, mod))
    for crate, mod, text in files:
        for path in paths_in(text):
            target = resolve(crate, mod, path)
            if target and target != (crate, tuple(mod)):
                edges.add(((crate, tuple(mod)), target))

    failed = False
    print("Top-level edges of the library (layer in brackets):")
    top = defaultdict(set)
    for (fc, fm), (tc, tm) in edges:
        src = fm[0] if fc == "lib" and fm else (fc if fc != "lib" else "lib")
        dst = tm[0] if tc == "lib" and tm else None
        if dst and src != dst:
            top[src].add(dst)
    for src in sorted(top):
        marks = []
        for dst in sorted(top[src]):
            up = src in LAYERS and dst in LAYERS and LAYERS[dst] > LAYERS[src]
            side = src in LAYERS and LAYERS.get(dst) == LAYERS[src] and (src, dst) not in SIDEWAYS
            failed |= up or side
            marks.append(f"{dst}[{LAYERS.get(dst, '?')}]" + (" UPWARD" if up else "") + (" SIDEWAYS" if side else ""))
        print(f"  {src}[{LAYERS.get(src, '-')}] -> " + ", ".join(marks))

    # Loops: among the children of every module, an edge child A -> child B when something
    # under A names something under B.
    print("\nImport loops (children of one module that import each other):")
    found = False
    for crate in sorted(modules):
        for parent in sorted(modules[crate]):
            children = sorted(m for m in modules[crate] if len(m) == len(parent) + 1 and m[: len(parent)] == parent)
            if len(children) < 2:
                continue
            child_edges = defaultdict(set)
            for (fc, fm), (tc, tm) in edges:
                if fc != crate or tc != crate:
                    continue
                if len(fm) > len(parent) and fm[: len(parent)] == parent and len(tm) > len(parent) and tm[: len(parent)] == parent:
                    a, b = fm[len(parent)], tm[len(parent)]
                    if a != b:
                        child_edges[a].add(b)
            for scc in sccs([c[-1] for c in children], child_edges):
                if len(scc) > 1:
                    found = True
                    name = "::".join(parent) or "crate"
                    loop = sorted(scc)
                    print(f"  {crate} {name}::{{{', '.join(loop)}}}")
                    for a in loop:
                        for b in sorted(child_edges[a] & set(scc)):
                            print(f"      {a} -> {b}")
    if not found:
        print("  none")
    failed |= found
    return 1 if failed else 0


def sccs(nodes, succ):
    """Tarjan's strongly connected components."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in succ.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    for v in nodes:
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    sys.exit(main())
