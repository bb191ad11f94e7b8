"""Imports go one way: no module of presslens imports a module of a layer above its own, and no two
modules import each other, however indirectly (docs/architecture.md, "Layers").

    python scripts/check_layers.py        # prints each upward import and circle; exit status 1 if any

Every import counts, those inside functions too: a lazy import is still a dependency. A module takes
the layer of the longest name in LAYERS that is a prefix of its own; a module with no place is an
error too (place it when you add it). Only the CLI, the edge, may import ``flows`` (to start a flow)
and ``benchmarks`` (``presslens bench``); nothing in presslens imports Prefect.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Bottom to top (layer 1 first, as docs/architecture.md numbers them). A module may import its own
# layer and those below, never one above.
LAYERS: list[tuple[str, ...]] = [
    # foundations: know nothing of pages or stories
    ("presslens", "presslens.text", "presslens.names", "presslens.urls", "presslens.timing",
     "presslens.lifetime", "presslens.linkage", "presslens.record", "presslens.data",
     "presslens.table_registry"),
    ("presslens.userfile", "presslens.store"),  # reading the user's files; writing processed/ atomically
    ("presslens.pages", "presslens.roster"),  # stage 1: raw/ -> Page; outlets.yaml
    ("presslens.clean",),  # stage 2
    ("presslens.extract",),  # stage 3
    ("presslens.metrics",),  # stage 4
    ("presslens.stories",),  # stage 5
    ("presslens.compare",),  # stage 6
    ("presslens.charts", "presslens.report", "presslens.corpus_tables"),  # stage 7; the corpus tables
    ("presslens.settings",),  # the run's choices, resolved at the edge
    ("presslens.workers", "presslens.preload"),  # the process pool, its warm-up and what the forkserver imports
    ("presslens.processing", "presslens.ingest"),  # one page's work; a page added to raw/
    ("presslens.building", "presslens.collect", "presslens.project"),  # a story's tables; collecting; init
    ("presslens.pipeline",),  # the run
    ("flows",),  # the Prefect flows
    ("benchmarks",),
    ("presslens.cli",),  # the edge
]
FORBIDDEN_BELOW_CLI = ("prefect", "prefect_dask", "flows", "benchmarks")


def layer_of(module: str) -> int | None:
    best, best_len = None, -1
    for index, names in enumerate(LAYERS):
        for name in names:
            inside = module.startswith(name + ".") and name != "presslens"  # the root package: itself only
            if (module == name or inside) and len(name) > best_len:
                best, best_len = index, len(name)
    return best


def module_files(root: Path = REPO) -> dict[str, Path]:
    found = {}
    for path in sorted((root / "presslens").rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports_of(path: Path, module: str, known: set[str]) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import in ``path``, relative ones resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield (full if full in known else base), node.lineno


def check(root: Path = REPO) -> list[str]:
    """Every upward import, forbidden import, unplaced module and import circle under ``root``/presslens."""
    files = module_files(root)
    known = set(files)
    problems: list[str] = []
    graph: dict[str, set[str]] = {m: set() for m in files}
    for module, path in files.items():
        own = layer_of(module)
        if own is None:
            problems.append(f"{module}: no layer (add it to LAYERS in scripts/check_layers.py)")
            continue
        for target, line in imports_of(path, module, known):
            where = f"{path.relative_to(root)}:{line}"
            top = target.split(".")[0]
            if top in FORBIDDEN_BELOW_CLI and module != "presslens.cli":
                problems.append(f"{where}: {module} imports {target} (only the CLI may)")
                continue
            if top != "presslens":
                continue
            if target in known and target != module and not module.startswith(target + "."):
                graph[module].add(target)
            theirs = layer_of(target)
            if theirs is not None and theirs > own:
                problems.append(f"{where}: {module} (layer {own + 1}) imports {target} (layer {theirs + 1}): upward")
    problems += [f"import circle: {' -> '.join(c)}" for c in circles(graph)]
    return problems


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each as a closed path."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component) + [min(component)])

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def main() -> int:
    problems = check()
    for problem in problems:
        print(problem)
    print(f"{len(module_files())} modules in {len(LAYERS)} layers: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
