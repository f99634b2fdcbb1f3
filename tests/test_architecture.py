"""The layout's rules, checked on the source: no import cycles inside voicemock/, a pure
analysis package, and no terminal output outside render/ and cli.py (docs/architecture.md).

Every import counts: at module level, inside functions (lazy) and under
``TYPE_CHECKING``, because each one is a dependency a reader has to follow.
"""

from __future__ import annotations

import ast
import re
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


def imported_roots(source: str) -> set[str]:
    """Top-level names of every module ``source`` imports, anywhere in it."""
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("library", HEAVY_OR_UI)
def test_the_analysis_check_would_catch_each_library(library: str) -> None:
    for source in (
        f"import {library}\n",
        f"def f():\n    from {library}.sub import x\n",
        f"if TYPE_CHECKING:\n    import {library}.sub as s\n",
    ):
        assert library in imported_roots(source), source


def test_imported_roots_agrees_with_the_graph_walker() -> None:
    path = PACKAGE / "analysis" / "report.py"
    walked = {target.split(".")[0] for target, _ in imports(path)}
    assert imported_roots(path.read_text(encoding="utf-8")) == walked


# -- no terminal output outside render/ and cli.py ------------------------------------------

TERMINAL_LIBRARIES = {"rich", "click"}
STREAM_ATTRIBUTES = {"stdout", "stderr", "__stdout__", "__stderr__", "out", "err"}
"""``sys.stdout``/``sys.stderr`` and the environment's ``out``/``err`` streams."""

MAY_WRITE = {"voicemock/cli.py", "voicemock/__main__.py"}
"""Besides render/: the command line, and ``python -m voicemock`` which only calls it."""

NOT_THE_TERMINAL = {
    "voicemock/env.py": "defines the streams (out, err) the commands write to; writes nothing",
    "voicemock/tts/worker.py": "its own process, started with stderr going to a log file "
    "the parent reads; it prints nothing on stdout",
}


def terminal_writes(source: str) -> list[tuple[int, str]]:
    """(line, what) for everything in ``source`` that could write to the terminal: print(),
    a terminal library, the std streams or the environment's out/err, os.write to fd 1/2."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("print", "breakpoint")
        ):
            found.append((node.lineno, f"{node.func.id}()"))
        if isinstance(node, ast.Attribute) and node.attr in STREAM_ATTRIBUTES:
            found.append((node.lineno, f".{node.attr}"))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "write"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "os"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value in (1, 2)
        ):
            found.append((node.lineno, "os.write to fd 1/2"))
    for library in sorted(imported_roots(source) & TERMINAL_LIBRARIES):
        found.append((0, f"imports {library}"))
    return found


def test_no_module_outside_render_and_cli_writes_to_the_terminal() -> None:
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("voicemock/render/") or rel in MAY_WRITE or rel in NOT_THE_TERMINAL:
            continue
        for line, what in terminal_writes(path.read_text(encoding="utf-8")):
            bad.append(f"{rel}:{line}: {what}")
    assert not bad, "terminal output outside render/ and cli.py:\n" + "\n".join(bad)


def test_the_exceptions_are_real_files_with_reasons() -> None:
    for rel in (*MAY_WRITE, *NOT_THE_TERMINAL):
        assert (ROOT / rel).is_file(), rel
    assert terminal_writes((ROOT / "voicemock/tts/worker.py").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "source",
    [
        "print('hi')\n",
        "import sys\nsys.stdout.write('x')\n",
        "def f(env):\n    env.out.write('x')\n",
        "def f(env):\n    stream = env.err\n",
        "import os\nos.write(2, b'x')\n",
        "def f():\n    from rich.console import Console\n",
        "import click\n",
    ],
)
def test_the_terminal_check_catches_each_way_of_writing(source: str) -> None:
    assert terminal_writes(source), source


def test_writing_files_is_not_terminal_output() -> None:
    source = "def f(path, fd):\n    with open(path, 'w') as fh:\n        fh.write('x')\n"
    source += "    import os\n    os.write(fd, b'x')\n"
    assert terminal_writes(source) == []


# -- docs/architecture.md stays true ---------------------------------------------------------


def test_the_architecture_page_names_every_module() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        rel
        for path in sorted(PACKAGE.rglob("*.py"))
        if (rel := path.relative_to(PACKAGE).as_posix()) and f"`{rel}`" not in page
    ]
    assert not missing, f"docs/architecture.md does not describe: {', '.join(missing)}"


def test_the_architecture_page_names_no_module_that_is_gone() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+(?:/[a-z_]+)*\.py)`", page))
    gone = sorted(
        rel for rel in named if not rel.startswith("tests/") and not (PACKAGE / rel).is_file()
    )
    assert not gone, f"docs/architecture.md names modules that do not exist: {gone}"
