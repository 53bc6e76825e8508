"""Start-from examples: well-defined problems from the demo world (``seed/data/problems.json``)."""

from __future__ import annotations

import json
from pathlib import Path

from flask_babel import gettext as _
from sqlmodel import Session

from marketplace.accounts.models import User
from marketplace.core.errors import NotFound
from marketplace.core.schemas import parse
from marketplace.problems.models import DEFAULT_WEIGHTS, Problem
from marketplace.problems.schemas import ProblemCreate
from marketplace.problems.services.drafting import create_problem

TEMPLATE_KEYS = ("hanbit-bakery-daily-bread-demand", "daon-dyeing-recipe-optimization",
                 "sejin-remicon-mix-automation", "pureum-foods-shelf-life-prediction",
                 "taesung-autotech-dimension-vision", "gyeongnam-coop-predictive-maintenance")
SEED_PROBLEMS = Path(__file__).resolve().parents[3] / "seed" / "data" / "problems.json"


def problem_templates() -> list[dict]:
    """Start-from examples: well-defined problems from the demo world, without company or dates."""
    if not SEED_PROBLEMS.exists():
        return []
    by_key = {p["key"]: p for p in json.loads(SEED_PROBLEMS.read_text(encoding="utf-8"))}
    templates = []
    for key in TEMPLATE_KEYS:
        if key in by_key:
            p = by_key[key]
            templates.append({
                "key": key, "title": p["title"], "description": p["description"], "process": p.get("process"),
                "industry": p.get("industry"), "problem_types": p.get("problem_types", []),
                "kpis": p.get("kpis", []), "data_assets": [
                    {k: d.get(k) for k in ("kind", "description", "volume", "period_months", "labelled")}
                    for d in p.get("data", [])],
                "systems": p.get("systems", []), "on_premises_required": p.get("on_premises_required", False),
                "weights": p.get("criteria", DEFAULT_WEIGHTS),
            })
    return templates


def create_from_template(session: Session, *, user: User, key: str) -> Problem:
    template = next((t for t in problem_templates() if t["key"] == key), None)
    if template is None:
        raise NotFound(_("No such template."))
    draft = parse(ProblemCreate, {k: v for k, v in template.items() if k != "key"})
    return create_problem(session, user=user, draft=draft)
