"""The declared import rules ([tool.importlinter] in pyproject.toml) hold.

The contracts say: domain/, matching/ and contracts/ import no Flask, database library or
marketplace; domain/ imports neither the engine nor the agreement; areas use each other only
through services, models, schemas and signals; areas are layered, so there is no import loop between them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert status == 0, report
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert report.count(" KEPT") == len(contracts) >= 4
