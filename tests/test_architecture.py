"""The declared import rules ([tool.importlinter] in pyproject.toml) hold.

The contracts say: domain/, matching/ and contracts/ import no Flask, database library or
marketplace; domain/ imports neither the engine nor the agreement; areas use each other only
through services, models, schemas and signals; areas are layered, so there is no import loop between them.
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports() -> int:
    """import-linter's CLI, without its side effect on logging: it configures logging with
    ``disable_existing_loggers``, which silenced every logger already created for the tests run after it."""
    loggers = [lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    disabled = {lg: lg.disabled for lg in loggers}
    try:
        return lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    finally:
        for lg, was in disabled.items():
            lg.disabled = was


def test_the_import_contracts_hold(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    status = _lint_imports()
    report = capsys.readouterr().out
    assert status == 0, report
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert report.count(" KEPT") == len(contracts) >= 4
