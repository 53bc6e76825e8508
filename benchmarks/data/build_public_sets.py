"""Builds the public retrieval sets of benchmarks/matching_public.py from pinned upstream snapshots.

    .venv/bin/python benchmarks/data/build_public_sets.py --source DIR [--out DIR]

``DIR`` holds git clones (bare or not) of the three upstream repositories,
named ``owner+name`` (for example ``DIR/kakaobrain+KorNLUDatasets``, a clone
or a directory with a ``repo`` git directory inside). Files are read with
``git show <commit>:<path>`` at the commits pinned in :data:`SOURCES`, so the
output is the same wherever it is built. Nothing is downloaded.

Three sets, one per kind of held-out check (none written by this team):

``en_problem_solution``  English consumer problem statements -> solution texts.
    MEDIQA 2019 task 3 (Ben Abacha et al., ACL-BioNLP 2019): consumer health
    questions and the answers a QA system retrieved, judged by experts
    (ReferenceScore 4 excellent, 3 correct but incomplete, 2 related,
    1 incorrect). Query: the question text; documents: every distinct
    answer text of the split; gain: 2 for score 4, 1 for score 3.
    dev = TrainingSet1 (LiveQA medical, 104 questions) + ValidationSet (25);
    test = TestSet-wLabels (150).
``en_vendor_portfolio``  "Which provider handles what this customer describes?"
    BANKING77 (Casanueva et al., 2020; CC BY 4.0): each of the 77 intents
    is a provider whose profile is its first 12 training requests (its
    portfolio); a query is a held-out test request; the one relevant
    document is its intent's profile. Queries go to dev or test by a fixed
    hash of their text, 600 of each.
``ko_paraphrase``  Korean paraphrase retrieval. KorSTS (Ham et al., 2020;
    CC BY-SA 4.0): the pairs scored >= 4.0 of 5 give a query (sentence1)
    and its paraphrase (sentence2, gain 1); documents are every distinct
    sentence2 of the split. dev = KorSTS dev, test = KorSTS test.

The splits are the upstream ones (or a fixed hash), fixed before any tuning.
Output: ``<out>/<set>.jsonl``, one JSON object per line:
``{"kind": "doc", "id", "text", "split"}`` or
``{"kind": "query", "id", "text", "split", "relevance": {doc_id: gain}}``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "public"

#: Upstream repositories, the commit read, and their licences.
SOURCES = {
    "abachaa+MEDIQA2019": ("ae5d3826d6c841923b9db831159fef0f1b893593",
                           "no licence file; NLM/NIH shared-task data, cite the overview paper"),
    "PolyAI-LDN+task-specific-datasets": ("57ec275d8078af65b7731c2a98be812d844a6d6b", "CC BY 4.0"),
    "kakaobrain+KorNLUDatasets": ("0df0fe7d496eb61b092e022e238c2230b29f1cbc", "CC BY-SA 4.0"),
}

PORTFOLIO = 12
VENDOR_QUERIES = 600


def _git_dir(source: Path, name: str) -> Path:
    for cand in (source / name / "repo", source / name / ".git", source / name):
        if (cand / "HEAD").exists():
            return cand
    raise SystemExit(f"{source / name}: no git clone of {name.replace('+', '/')} found")


def _show(source: Path, name: str, path: str) -> str:
    commit = SOURCES[name][0]
    out = subprocess.run(["git", "--git-dir", str(_git_dir(source, name)), "show", f"{commit}:{path}"],
                         capture_output=True, check=False)
    if out.returncode:
        raise SystemExit(f"{name}@{commit[:10]}:{path}: {out.stderr.decode(errors='replace').strip()}")
    return out.stdout.decode("utf-8")


def _split(text: str) -> str:
    return "dev" if hashlib.sha256(text.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text or "")).strip()


def mediqa(source: Path) -> list[dict]:
    name = "abachaa+MEDIQA2019"
    files = {
        "dev": ["MEDIQA_Task3_QA/MEDIQA2019-Task3-QA-TrainingSet1-LiveQAMed.xml",
                "MEDIQA_Task3_QA/MEDIQA2019-Task3-QA-ValidationSet.xml"],
        "test": ["MEDIQA_Task3_QA/MEDIQA2019-Task3-QA-TestSet-wLabels.xml"],
    }
    rows: list[dict] = []
    for split, paths in files.items():
        doc_ids: dict[str, str] = {}
        for path in paths:
            root = ET.fromstring(_show(source, name, path))
            tag = Path(path).stem.split("-")[-1]
            for q in root.iter("Question"):
                text = _clean(q.findtext("QuestionText"))
                relevance: dict[str, int] = {}
                for a in q.iter("Answer"):
                    body = _clean(a.findtext("AnswerText"))
                    if not body:
                        continue
                    if body not in doc_ids:
                        doc_ids[body] = f"{split}-a{len(doc_ids):05d}"
                        rows.append({"kind": "doc", "id": doc_ids[body], "text": body, "split": split})
                    score = int(a.get("ReferenceScore") or 0)
                    gain = {4: 2, 3: 1}.get(score, 0)
                    if gain:
                        did = doc_ids[body]
                        relevance[did] = max(relevance.get(did, 0), gain)
                if text and relevance:
                    rows.append({"kind": "query", "id": f"{split}-{tag}-q{q.get('QID')}", "text": text,
                                 "split": split, "relevance": relevance})
    return rows


def banking(source: Path) -> list[dict]:
    name = "PolyAI-LDN+task-specific-datasets"
    train = list(csv.DictReader(io.StringIO(_show(source, name, "banking_data/train.csv"))))
    test = list(csv.DictReader(io.StringIO(_show(source, name, "banking_data/test.csv"))))
    profiles: dict[str, list[str]] = {}
    for row in train:
        items = profiles.setdefault(row["category"], [])
        if len(items) < PORTFOLIO:
            items.append(_clean(row["text"]))
    rows: list[dict] = []
    for cat in sorted(profiles):
        label = cat.replace("_", " ")
        for split in ("dev", "test"):
            rows.append({"kind": "doc", "id": f"{split}-{cat}", "text": f"{label}. " + " ".join(profiles[cat]),
                         "split": split})
    chosen = {"dev": [], "test": []}
    for row in sorted(test, key=lambda r: hashlib.sha256(r["text"].encode("utf-8")).hexdigest()):
        split = _split(row["text"])
        if len(chosen[split]) < VENDOR_QUERIES:
            chosen[split].append(row)
    for split, items in chosen.items():
        for i, row in enumerate(items):
            rows.append({"kind": "query", "id": f"{split}-q{i:04d}", "text": _clean(row["text"]), "split": split,
                         "relevance": {f"{split}-{row['category']}": 1}})
    return rows


def korsts(source: Path) -> list[dict]:
    name = "kakaobrain+KorNLUDatasets"
    rows: list[dict] = []
    for split, path in (("dev", "KorSTS/sts-dev.tsv"), ("test", "KorSTS/sts-test.tsv")):
        text = _show(source, name, path)
        doc_ids: dict[str, str] = {}
        queries: dict[str, dict[str, int]] = {}
        for line in text.splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) < 7:
                continue
            score, s1, s2 = float(parts[4]), _clean(parts[5]), _clean(parts[6])
            if not s1 or not s2 or s1 == s2:
                continue
            if s2 not in doc_ids:
                doc_ids[s2] = f"{split}-s{len(doc_ids):05d}"
                rows.append({"kind": "doc", "id": doc_ids[s2], "text": s2, "split": split})
            if score >= 4.0:
                queries.setdefault(s1, {})[doc_ids[s2]] = 1
        for i, (s1, rel) in enumerate(queries.items()):
            rows.append({"kind": "query", "id": f"{split}-q{i:04d}", "text": s1, "split": split, "relevance": rel})
    return rows


BUILDERS = {"en_problem_solution": mediqa, "en_vendor_portfolio": banking, "ko_paraphrase": korsts}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, required=True, help="directory with the upstream git clones")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        rows = build(args.source)
        path = args.out / f"{name}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        counts = {s: (sum(r["kind"] == "query" and r["split"] == s for r in rows),
                      sum(r["kind"] == "doc" and r["split"] == s for r in rows)) for s in ("dev", "test")}
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        print(f"{path}: " + ", ".join(f"{s} {q} queries / {d} documents" for s, (q, d) in counts.items())
              + f"; sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
