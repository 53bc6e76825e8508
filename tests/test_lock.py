"""requirements/lock.txt (what `make setup` and CI install) pins every dependency pyproject.toml declares."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def locked() -> dict[str, str]:
    text = (ROOT / "requirements" / "lock.txt").read_text()
    return {canonicalize_name(name): version for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(spec) for spec in project["dependencies"] + project["optional-dependencies"]["test"]]


def test_every_declared_dependency_is_locked_within_its_range():
    pins = locked()
    stale = [f"{req} (locked: {pins.get(canonicalize_name(req.name), 'missing')})" for req in declared()
             if canonicalize_name(req.name) not in pins
             or not req.specifier.contains(pins[canonicalize_name(req.name)], prereleases=True)]
    assert not stale, "run `make lock` after changing pyproject.toml: " + ", ".join(stale)


def test_every_dependency_has_an_upper_bound():
    unbounded = [str(req) for req in declared()
                 if not any(spec.operator in ("<", "<=", "==", "~=") for spec in req.specifier)]
    assert not unbounded, "give each dependency an upper bound: " + ", ".join(unbounded)


def test_every_locked_package_carries_hashes():
    text = (ROOT / "requirements" / "lock.txt").read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", text.split("\n", 2)[2])
    assert entries and all("--hash=sha256:" in entry for entry in entries if "==" in entry)
