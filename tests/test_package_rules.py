"""Rules the whole package keeps: short functions, a role docstring per module, no silent
``type: ignore`` (mypy itself runs in ``make test``)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import llgraph

PACKAGE = Path(llgraph.__file__).parent
SOURCES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 60
#: ``# type: ignore[code]`` followed by ``# why``, on the same line.
_IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_no_function_is_over_60_lines(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines, line {node.lineno})"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_LINES
    ]
    assert not long, f"{_name(path)}: split {', '.join(long)}"


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_each_module_opens_with_its_role(path: Path) -> None:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc and doc.strip(), f"{_name(path)} has no module docstring"


def test_every_type_ignore_names_its_code_and_reason() -> None:
    bare = []
    for path in SOURCES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = _IGNORE.search(line)
            if found and not (found["codes"] and found["rest"].strip().startswith("#")):
                bare.append(f"{_name(path)}:{number}: {line.strip()}")
    assert not bare, "give each its error code and a reason:\n" + "\n".join(bare)


def _layout_paths(readme: str) -> set[str]:
    """Every path the README's layout table names: a row's other names sit in its first one's
    folder (``src/llgraph/web/app.py``, ``state.py`` → ``src/llgraph/web/state.py``)."""
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    paths = set()
    for row in section.splitlines():
        if not row.startswith("| `"):
            continue
        names = re.findall(r"`([^`]+)`", row.split(" | ")[0])
        first = names[0].rstrip("/")
        folder = first.rsplit("/", 1)[0] + "/" if "/" in first else ""
        paths.update(
            n if n.startswith(("src/", folder)) or not folder else folder + n for n in names
        )
    return paths


def test_the_readme_layout_names_every_module() -> None:
    root = PACKAGE.parent.parent
    named = _layout_paths((root / "README.md").read_text(encoding="utf-8"))
    modules = [
        str(path.relative_to(root))
        for path in SOURCES
        if path.name not in ("__init__.py", "__main__.py")
    ]
    missing = [
        m
        for m in modules
        if not any(m == n or (n.endswith("/") and m.startswith(n)) for n in named)
    ]
    assert not missing, f"README's layout table does not name: {missing}"
