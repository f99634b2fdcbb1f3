"""The layout's rules, checked on the source: no import cycles inside voicemock/, a pure
analysis package, and no terminal output outside render/ and cli.py.

Every import counts: at module level, inside functions (lazy) and under
``TYPE_CHECKING``, because each one is a dependency a reader has to follow.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "voicemock"

HEAVY_OR_UI = (
    "click",
    "rich",
    "numpy",
    "sounddevice",
    "soundfile",
    "faster_whisper",
    "ctranslate2",
    "onnxruntime",
    "pyttsx3",
)
"""What analysis/ must never import: the command line, the terminal, audio and models."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> Iterator[tuple[str, int]]:
    """(module imported, line) for every import in the file, resolved to a module name:
    ``from a.b import c`` is ``a.b.c`` when that is a module of ours, else ``a.b``."""
    known = modules()
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    this = module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield (sub if sub in known else base), node.lineno


def graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: {target for target, _ in imports(path) if target in known and target != name}
        for name, path in known.items()
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_lazy_and_type_checking_imports() -> None:
    edges = graph()
    assert "voicemock.asr.whisper" in edges["voicemock.env"]  # lazy, inside a method
    assert "voicemock.tts.speaker" in edges["voicemock.env"]  # under TYPE_CHECKING
    assert "voicemock.tts.worker" in edges["voicemock.tts.speaker"]  # from package import mod


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_inside_voicemock() -> None:
    found = cycles(graph())
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_analysis_imports_no_cli_terminal_audio_or_model_library() -> None:
    bad = []
    for path in sorted((PACKAGE / "analysis").rglob("*.py")):
        for target, line in imports(path):
            if target.split(".")[0] in HEAVY_OR_UI:
                bad.append(f"{path.relative_to(ROOT)}:{line}: imports {target}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("library", HEAVY_OR_UI)
def test_the_analysis_check_would_catch_each_library(tmp_path: Path, library: str) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(f"def f():\n    from {library} import x\n", encoding="utf-8")
    tree = ast.parse(sample.read_text())
    names = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert names == [library] and library.split(".")[0] in HEAVY_OR_UI
