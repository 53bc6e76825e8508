"""acceptance/ is a plain library: no Flask, no database, no marketplace."""

from __future__ import annotations

import ast
from pathlib import Path

import acceptance

PACKAGE = Path(acceptance.__file__).parent
FORBIDDEN = {"flask", "flask_babel", "flask_login", "flask_wtf", "flask_openapi3", "marketplace",
             "sqlalchemy", "sqlmodel", "alembic", "psycopg", "werkzeug", "matching", "contracts",
             "seed", "babel"}


def test_no_module_imports_the_web_app_or_a_database():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_the_whole_flow_loads_no_web_or_database_module(fresh_flow):
    """Read, evaluate and draw in a fresh interpreter (this one has loaded the app)."""
    loaded = {name.split(".")[0] for name in fresh_flow["modules"]}
    assert not loaded & FORBIDDEN
    assert {"sklearn", "matplotlib"} <= loaded
