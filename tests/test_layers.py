"""Imports go one way (scripts/check_layers.py): the layers of docs/architecture.md, checked on the code."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import REPO


def load_checker():
    spec = importlib.util.spec_from_file_location("check_layers", REPO / "scripts" / "check_layers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_module_imports_upward_and_no_two_import_each_other():
    assert load_checker().check() == []


def write(root: Path, relpath: str, text: str = "") -> None:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_check_finds_an_upward_import_a_circle_prefect_and_an_unplaced_module(tmp_path):
    """The house's one circle (compare/entities <-> compare/ner, issue 33) was found by drawing the house;
    the check finds such a circle, an import from a stage above, Prefect below the CLI, a module with no layer."""
    write(tmp_path, "presslens/__init__.py")
    write(tmp_path, "presslens/pages.py", "from presslens.compare.tables import articles_table\n")
    write(tmp_path, "presslens/compare/__init__.py")
    write(tmp_path, "presslens/compare/tables.py", "def articles_table():\n    from presslens.pages import read_page\n")
    write(tmp_path, "presslens/compare/entities.py", "from presslens.compare import ner\n")
    write(tmp_path, "presslens/compare/ner.py", "from presslens.compare.entities import entities_table\n")
    write(tmp_path, "presslens/extract.py", "import prefect\n")
    write(tmp_path, "presslens/cli.py", "from flows.compare_coverage import compare_coverage\n")
    write(tmp_path, "presslens/gadget.py")
    problems = load_checker().check(tmp_path)
    assert any("presslens.pages (layer 3) imports presslens.compare.tables (layer 8): upward" in p for p in problems)
    circle = "import circle: presslens.compare.entities -> presslens.compare.ner -> presslens.compare.entities"
    assert circle in problems
    assert any("presslens.extract imports prefect (only the CLI may)" in p for p in problems)
    assert "presslens.gadget: no layer (add it to LAYERS in scripts/check_layers.py)" in problems
    assert "import circle: presslens.compare.tables -> presslens.pages -> presslens.compare.tables" in problems
    assert not any("presslens.cli" in p for p in problems)  # the edge may start a flow
    assert len(problems) == 5  # compare.tables -> pages alone is downward: the circle, not a sixth problem
