"""contracts/ is a plain library: no Flask, no database, no marketplace."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import contracts

PACKAGE = Path(contracts.__file__).parent
FORBIDDEN = {"flask", "flask_babel", "flask_login", "flask_wtf", "marketplace", "sqlalchemy",
             "sqlmodel", "alembic", "psycopg", "werkzeug", "matching", "seed"}


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


def test_importing_and_drafting_loads_no_web_or_database_module():
    """In a fresh interpreter, since the test session itself has loaded the app."""
    code = (
        "import sys, json\n"
        "import contracts\n"
        "from contracts.examples import bakery_terms\n"
        "contracts.draft_html(bakery_terms(), 'ko')\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=PACKAGE.parent)
    loaded = {name.split(".")[0] for name in json.loads(result.stdout)}
    assert not loaded & FORBIDDEN
    assert "weasyprint" not in loaded  # WeasyPrint loads only when a PDF is rendered
