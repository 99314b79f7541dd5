"""The layout rules of the code base, checked on the source itself.

Each rule here is one a newcomer relies on when reading the file list: which package may import
which, where drawing happens, what is public, and how large a module or a function may grow before
it must say why.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("model", "verify", "simulate", "reports", "scenarios")
# Which of our packages each package may import: strictly downwards.
ALLOWED = {
    "model": {"model"},
    "verify": {"model", "verify"},
    "simulate": {"model", "simulate"},
    "reports": {"model", "verify", "simulate", "reports"},
    "scenarios": {"model", "scenarios"},
    "commands": {"model", "verify", "simulate", "reports", "scenarios", "commands"},
}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
LONG_MARK = "# long:"


def _sources() -> list[Path]:
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    files += list((ROOT / "cpsim").glob("*.py")) + list((ROOT / "cpsim" / "commands").rglob("*.py"))
    files += list((ROOT / "cpsim" / "app").rglob("*.py"))  # the app is part of the command-line layer
    return sorted(files)


def _package_of(path: Path) -> str:
    rel = path.relative_to(ROOT).parts
    if rel[0] == "cpsim":
        return "commands"
    return rel[0]


def _imports(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


SOURCES = _sources()
IDS = [str(p.relative_to(ROOT)) for p in SOURCES]


def _assigns(node: ast.Assign | ast.AnnAssign, name: str) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return any(isinstance(t, ast.Name) and t.id == name for t in targets)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_the_source_tree_is_found() -> None:
    """The checks below look at every module (a wrong root would make them pass on nothing)."""
    assert len(SOURCES) > 80
    assert ROOT / "simulate" / "engine" / "replication.py" in SOURCES


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_packages_import_only_downwards(path: Path) -> None:
    """model depends on nothing of ours; verify and simulate on model; reports on those; the CLI on all."""
    own = _package_of(path)
    wrong = []
    for line, module in _imports(_tree(path)):
        parts = module.split(".")
        if parts[0] != "cpsim" or len(parts) < 2:
            continue
        target = parts[1] if parts[1] in PACKAGES else "commands"
        if target not in ALLOWED[own]:
            wrong.append(f"line {line}: {own} imports {module}")
    assert not wrong, wrong


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_no_module_imports_another_packages_private_module(path: Path) -> None:
    """A ``_private`` module is used only inside the package that holds it."""
    here = ".".join(("cpsim", *path.relative_to(ROOT).parts[:-1])) if path.parts[-2] != "cpsim" else "cpsim"
    here = here.replace("cpsim.cpsim", "cpsim")
    wrong = []
    for line, module in _imports(_tree(path)):
        parts = module.split(".")
        for i, part in enumerate(parts):
            if part.startswith("_") and not part.startswith("__"):
                owner = ".".join(parts[:i])
                if owner != here:
                    wrong.append(f"line {line}: {module}")
    assert not wrong, wrong


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_only_reports_draws(path: Path) -> None:
    """matplotlib is imported in reports/ and nowhere else."""
    if _package_of(path) == "reports":
        return
    drawn = [f"line {n}: {m}" for n, m in _imports(_tree(path)) if m.split(".")[0] == "matplotlib"]
    assert not drawn, drawn


@pytest.mark.parametrize("path", [p for p in SOURCES if p.name == "__init__.py"], ids=lambda p: str(p.parent))
def test_every_package_declares_its_public_api(path: Path) -> None:
    """Each package ``__init__`` lists what it exports in ``__all__``, and every name listed exists."""
    tree = _tree(path)
    if path.parent.name in {"procedures", "schema", "scenarios"}:
        return  # data folders: shipped files, no code
    names = [n for n in tree.body if isinstance(n, ast.Assign | ast.AnnAssign) and _assigns(n, "__all__")]
    assert names, f"{path} has no __all__"
    value = names[0].value
    assert value is not None
    exported = ast.literal_eval(value)
    defined = set()
    nested = (n for t in tree.body if isinstance(t, ast.Try | ast.If) for n in t.body)  # try: / if TYPE_CHECKING:
    for node in [*tree.body, *nested]:
        if isinstance(node, ast.ImportFrom):
            defined |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign):
            defined |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    lazy = [n for n in tree.body if isinstance(n, ast.Assign) and _assigns(n, "HOMES")]
    if lazy and "__getattr__" in defined:  # names loaded on first use (PEP 562), each from its module
        homes: dict[str, tuple[str, ...]] = ast.literal_eval(lazy[0].value)
        defined |= {name for names in homes.values() for name in names}
        package = importlib.import_module("cpsim." + ".".join(path.parent.relative_to(ROOT).parts))
        for module, names in homes.items():
            home = importlib.import_module(f"{package.__name__}.{module}")
            assert all(getattr(package, n) is getattr(home, n) for n in names), module
    assert set(exported) <= defined, sorted(set(exported) - defined)


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_modules_are_small(path: Path) -> None:
    """No module over 400 lines: a longer one holds more than one job."""
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


def _long_functions(text: str) -> list[str]:
    lines = text.splitlines()
    long = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = lines[node.lineno - 1 : node.end_lineno]
            if len(body) > MAX_FUNCTION_LINES and not any(LONG_MARK in line for line in body):
                long.append(f"{node.name} (line {node.lineno}, {len(body)} lines)")
    return long


@pytest.mark.parametrize("path", SOURCES, ids=IDS)
def test_long_functions_say_why(path: Path) -> None:
    """A function over 60 lines carries a ``# long: reason`` comment inside it."""
    long = _long_functions(path.read_text(encoding="utf-8"))
    assert not long, long


def test_the_long_function_rule_flags_an_unexplained_long_function() -> None:
    """61 lines without a reason is flagged; 60 lines, or 61 with ``# long:``, is not."""

    def source(n: int, mark: str = "") -> str:
        return "def f():\n" + mark + "".join(f"    x{i} = {i}\n" for i in range(n - 1 - bool(mark)))

    assert _long_functions(source(MAX_FUNCTION_LINES + 1)) == ["f (line 1, 61 lines)"]
    assert _long_functions(source(MAX_FUNCTION_LINES)) == []
    assert _long_functions(source(MAX_FUNCTION_LINES + 1, "    # long: a table of cases\n")) == []


def test_the_folders_install_under_one_cpsim_namespace() -> None:
    """``cpsim.model`` and the rest are the top-level folders, and no generic top-level name is installed."""
    import importlib.metadata
    import tomllib

    import cpsim.model
    import cpsim.simulate

    assert Path(cpsim.model.__file__).resolve().parent == ROOT / "model"
    assert Path(cpsim.simulate.__file__).resolve().parent == ROOT / "simulate"
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = config["tool"]["setuptools"]["packages"]
    assert all(p == "cpsim" or p.startswith("cpsim.") for p in packages), packages
    on_disk = {".".join(("cpsim", *p.parent.relative_to(ROOT).parts)) for p in SOURCES if p.name == "__init__.py"}
    on_disk = {n.replace("cpsim.cpsim", "cpsim") for n in on_disk}
    assert on_disk <= set(packages), sorted(on_disk - set(packages))
    top = importlib.metadata.distribution("cpsim").read_text("top_level.txt") or ""
    assert top.split() == ["cpsim"]
