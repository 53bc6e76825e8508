"""Saving an index to a directory and loading it, memory-mapped, in any number of processes.

Layout (format version 3; no pickle)::

    manifest.json                 format, version, config, fusion, embedder name, counts, sha256 of each file
    vocab_char.json, vocab_word.json, idf_char.npy, idf_word.npy
    <side>s.jsonl                 one line per record: the record (without its embedding) and its type hits
    <side>s_offsets.npy, <side>s_ids.json   line offsets and ids, so rows are parsed only when read
    <side>s_feat_<name>.npy       the scoring feature arrays (:class:`~matching.scoring.OfferingFeatures`)
    <side>s_char_{data,indices,indptr}.npy, <side>s_word_...   term-major CSR matrices
    offerings_charR_{data,indices,indptr}.npy, offerings_wordR_...   row-major matrices (large offering sides)
    <side>s_emb.npy               (rows, dim) float32 unit vectors, when the index has a semantic channel

:func:`load` maps the ``.npy`` arrays read-only (``mmap_mode="r"``), so the
operating system shares their pages between the worker processes that load
the same snapshot. Records are parsed only when a row is read (the top rows
of a ranking, a record asked for by id; :mod:`matching.index.lazy`), so what
is private to each process is the id map, the vocabulary dictionaries and the
small column-major copies of the candidate path. :func:`save` writes
into a temporary directory and renames it into place, so a reader never sees
half a snapshot; a snapshot whose files do not match the manifest's digests
is refused with a :class:`MatchingError` (a reader keeps the one it has).
Versions 1 and 2 (scipy ``.npz``) still load, without memory mapping.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import fields, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from matching.errors import MatchingError
from matching.index.blocks import _compact, _empty_block, _empty_side, _hits_for, _record_dict
from matching.index.lazy import LazyRows, line_offsets
from matching.index.candidates import _accel_for
from matching.index.state import _Block, _Side, _Snapshot
from matching.records import offering_from_dict, problem_from_dict
from matching.scoring import (
    OfferingFeatures,
    ProblemFeatures,
    ScoringConfig,
    TypeHits,
    offering_features,
    problem_features,
)

FORMAT = "axbridge-matching-index"
FORMAT_VERSION = 3


def _save_csr(tmp: Path, stem: str, m: sp.csr_matrix, files: dict) -> None:
    for part in ("data", "indices", "indptr"):
        name = f"{stem}_{part}.npy"
        np.save(tmp / name, np.ascontiguousarray(getattr(m, part)))
        files[name] = list(m.shape)


def _load_csr(path: Path, stem: str, shape, mmap: bool) -> sp.csr_matrix:
    mode = "r" if mmap else None
    data, indices, indptr = (_array(np.load(path / f"{stem}_{p}.npy", mmap_mode=mode))
                             for p in ("data", "indices", "indptr"))
    m = sp.csr_matrix((0, 0), dtype=np.float32)
    # Assign the arrays directly: the constructor would copy or re-check memory-mapped arrays.
    m.data, m.indices, m.indptr = data, indices, indptr
    m._shape = tuple(int(s) for s in shape)
    m.has_sorted_indices = True
    m.has_canonical_format = True
    return m


def _array(a: np.ndarray) -> np.ndarray:
    """A plain ndarray view of a memory-mapped array: the same shared pages, without the per-operation
    overhead of the ``np.memmap`` subclass (tens of microseconds per fancy index)."""
    return a.view(np.ndarray) if isinstance(a, np.memmap) else a


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save(snap: _Snapshot, path: str | os.PathLike) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".matchindex-", dir=path.parent))
    try:
        shapes: dict[str, list[int]] = {}
        for name, vec in (("char", snap.model.char), ("word", snap.model.word)):
            vocab = getattr(vec, "vocabulary_", None) or {}
            terms = [None] * len(vocab)
            for term, i in vocab.items():
                terms[i] = term
            (tmp / f"vocab_{name}.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
            np.save(tmp / f"idf_{name}.npy", vec.idf_ if vocab else np.zeros(0))
        for kind, side in (("offering", snap.offerings), ("problem", snap.problems)):
            full = _compact(snap, side)
            with open(tmp / f"{kind}s.jsonl", "w", encoding="utf-8") as fh:
                for rec, hits in zip(full.main.records, full.main.hits):
                    fh.write(json.dumps({"record": _record_dict(rec), "hits": hits.as_dict()},
                                        ensure_ascii=False, sort_keys=True) + "\n")
            np.save(tmp / f"{kind}s_offsets.npy", line_offsets(tmp / f"{kind}s.jsonl"))
            (tmp / f"{kind}s_ids.json").write_text(json.dumps([r.id for r in full.main.records], ensure_ascii=False),
                                                   encoding="utf-8")
            for f in fields(full.main.feats):
                np.save(tmp / f"{kind}s_feat_{f.name}.npy", np.ascontiguousarray(getattr(full.main.feats, f.name)))
            _save_csr(tmp, f"{kind}s_char", full.main.XcT, shapes)
            _save_csr(tmp, f"{kind}s_word", full.main.XwT, shapes)
            if full.accel is not None:
                _save_csr(tmp, f"{kind}s_charR", full.accel.XcR, shapes)
                _save_csr(tmp, f"{kind}s_wordR", full.accel.XwR, shapes)
            if full.main.emb is not None:
                np.save(tmp / f"{kind}s_emb.npy", np.ascontiguousarray(full.main.emb, np.float32))
        manifest = {
            "format": FORMAT, "version": FORMAT_VERSION, "config": snap.config.as_dict(),
            "alpha": snap.model.alpha, "expand": snap.model.expand, "fitted_on": snap.fitted_on,
            "embedder": snap.embedder.name if snap.embedder else None, "semantic_weight": snap.semantic_weight,
            "semantic_floor": snap.semantic_floor, "require_embeddings": snap.require_embeddings,
            "shapes": shapes,
            "files": {p.name: _digest(p) for p in sorted(tmp.iterdir())},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        if path.exists():
            old = path.with_name(path.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def read_manifest(path: Path) -> dict:
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MatchingError(f"{path} is not a saved match index: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("version") not in (1, 2, 3):
        raise MatchingError(f"{path}: unsupported index format {manifest.get('format')!r} v{manifest.get('version')}")
    return manifest


def load_into(index, path: str | os.PathLike, embedder, *, mmap: bool = True, verify: bool = True) -> None:
    """Fill a fresh ``index`` (made with the manifest's options) from ``path``."""
    path = Path(path)
    manifest = read_manifest(path)
    version = manifest["version"]
    if verify and version >= 3:
        for name, digest in manifest["files"].items():
            if not (path / name).exists() or _digest(path / name) != digest:
                raise MatchingError(f"{path}: {name} is missing or does not match the manifest (corrupt snapshot)")
    model = index._pending[0]
    try:
        for name, vec in (("char", model.char), ("word", model.word)):
            terms = json.loads((path / f"vocab_{name}.json").read_text(encoding="utf-8"))
            if terms:
                vec.vocabulary = {t: i for i, t in enumerate(terms)}
                vec.vocabulary_ = vec.vocabulary
                vec.idf_ = np.load(path / f"idf_{name}.npy")
        snap = _Snapshot(model, index._pending[1], _empty_side("offering"), _empty_side("problem"),
                         manifest["fitted_on"], embedder, manifest["semantic_weight"],
                         manifest.get("semantic_floor", 0.0), manifest.get("require_embeddings", False))
        sides = {kind: _load_side(path, manifest, snap, kind, mmap) for kind in ("offering", "problem")}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MatchingError(f"{path}: cannot read the saved index ({exc})") from exc
    index._snapshot = replace(snap, offerings=sides["offering"], problems=sides["problem"])


def _load_side(path: Path, manifest: dict, snap: _Snapshot, kind: str, mmap: bool) -> _Side:
    feats_cls = OfferingFeatures if kind == "offering" else ProblemFeatures
    from_dict = offering_from_dict if kind == "offering" else problem_from_dict
    mode = "r" if mmap else None
    lazy = manifest["version"] >= 3 and (path / f"{kind}s_offsets.npy").exists() and all(
        (path / f"{kind}s_feat_{f.name}.npy").exists() for f in fields(feats_cls))
    if lazy:  # version 3: rows parsed on demand, features memory-mapped
        rows = LazyRows(path / f"{kind}s.jsonl", np.load(path / f"{kind}s_offsets.npy"), from_dict)
        records, hits = rows.records, rows.hits
        ids = json.loads((path / f"{kind}s_ids.json").read_text(encoding="utf-8"))
        feats = feats_cls(*(_array(np.load(path / f"{kind}s_feat_{f.name}.npy", mmap_mode=mode))
                            for f in fields(feats_cls)))
    else:
        records, hits = [], []
        with open(path / f"{kind}s.jsonl", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                rec = from_dict(row["record"])
                records.append(rec)
                # Version 1 stored one merged code -> term map: recompute declared/mentioned.
                hits.append(TypeHits.from_dict(row["hits"]) if manifest["version"] >= 2 else _hits_for(kind, rec))
        records, hits = tuple(records), tuple(hits)
        ids = [r.id for r in records]
        feats = (offering_features if kind == "offering" else problem_features)(records, hits)
    if len(ids) != len(records) or len(set(ids)) != len(ids):
        raise MatchingError(f"{path}: the {kind} ids do not match the rows")
    emb_path = path / f"{kind}s_emb.npy"
    emb = _array(np.load(emb_path, mmap_mode=mode)) if emb_path.exists() else None
    if snap.embedder is None:
        emb = None
    elif emb is None or emb.shape != (len(records), snap.embedder.dim):
        raise MatchingError(f"{path}: no {kind} embeddings of {snap.embedder.dim} numbers for {len(records)} rows")
    if "shapes" in manifest:  # version 3 layout (.npy arrays)
        shapes = manifest["shapes"]
        XcT = _load_csr(path, f"{kind}s_char", shapes[f"{kind}s_char_data.npy"], mmap)
        XwT = _load_csr(path, f"{kind}s_word", shapes[f"{kind}s_word_data.npy"], mmap)
        XcR, XwR = ((_load_csr(path, f"{kind}s_{m}R", shapes[f"{kind}s_{m}R_data.npy"], mmap)
                     if f"{kind}s_{m}R_data.npy" in shapes else None) for m in ("char", "word"))
    else:
        XcT = sp.load_npz(path / f"{kind}s_char.npz").tocsr()
        XwT = sp.load_npz(path / f"{kind}s_word.npz").tocsr()
        XcR = XwR = None
    block = _Block(records, hits, XcT, XwT, feats, emb)
    return _Side(kind, block, _empty_block(snap, kind), np.ones(len(records), bool),
                 {rid: (0, i) for i, rid in enumerate(ids)}, _accel_for(kind, block, snap.config, XcR, XwR))


def manifest_config(manifest: dict) -> ScoringConfig:
    return ScoringConfig(**manifest["config"])
