"""Large offering blocks are ranked by candidate generation + exact rescoring: same results as the full path."""

import random
from dataclasses import replace

import numpy as np
import pytest

import matching.index.candidates as mi
from matching import MatchIndex, ProblemRecord, taxonomy
from matching.scoring import CONTRIBUTIONS, problem_features, problem_type_hits, score_pairs


def _offerings(demo_offerings, n, seed=0):
    rng = random.Random(seed)
    sentences = [s for o in demo_offerings for s in o.description.split(". ") if s]
    types = [p.code for p in taxonomy.problem_types()]
    inds = [i.code for i in taxonomy.industries("C")]
    regs = [r.code for r in taxonomy.regions()]
    out = []
    for i in range(n):
        base = rng.choice(demo_offerings)
        lo = rng.randrange(1, 30) * 5_000_000
        out.append(replace(
            base, id=f"g{i}", description=" ".join(rng.sample(sentences, 2)),
            capabilities=tuple(rng.sample(types, rng.randint(0, 2))),
            industries=tuple(rng.sample(inds, rng.randint(0, 3))),
            regions_served=tuple(rng.sample(regs, rng.choice([0, 0, 2]))),
            deployment_modes=tuple(rng.sample(["cloud", "on_premises", "hybrid", "edge"], rng.randint(0, 2))),
            price_min=lo, price_max=lo * 3, capacity=rng.randint(0, 3)))
    return out


PROBLEMS = [
    ProblemRecord("q1", "빵 수요 예측", "매일 구울 빵의 양을 예측해 폐기를 줄이고 싶습니다", industry="C10", region="seoul",
                  budget_max=20_000_000, weights={"cost": 3, "quality": 1}),
    ProblemRecord("q2", "치수 불량 검사", "CNC 가공 부품의 치수 불량을 카메라로 검사", industry="C30", region="gyeongbuk",
                  budget_max=100_000_000, on_premises_required=True, problem_types=("visual_inspection",)),
    ProblemRecord("q3", "Predictive maintenance", "Vibration sensors on pumps; predict failures before they happen",
                  region="busan"),
    ProblemRecord("q4", "생산 일정", "다품종 소량 생산 일정 자동 편성", problem_types=("scheduling",), industry="C25"),
]


def _ranked(index, p, **kw):
    return [(m.id, round(m.score, 6), m.contributions, [r.code for r in m.reasons])
            for m in index.rank_offerings(p, **kw)]


@pytest.fixture(scope="module")
def generated(demo_offerings):
    return _offerings(demo_offerings, 800)


@pytest.fixture
def big(generated, monkeypatch):
    monkeypatch.setattr(mi, "CANDIDATE_MIN_ROWS", 300)
    monkeypatch.setattr(mi, "CANDIDATES", 30)
    monkeypatch.setattr(mi, "CHAR_POSTINGS_BUDGET", 2_000)
    monkeypatch.setattr(mi, "WORD_POSTINGS_BUDGET", 300)
    index = MatchIndex.build(generated, PROBLEMS)
    assert index._snap().offerings.accel is not None
    return index


def _full(index):
    """A copy of the index's current snapshot without the candidate structures."""
    snap = index._snap()
    plain = MatchIndex()
    plain._snapshot = replace(snap, offerings=replace(snap.offerings, accel=None))
    return plain


def test_candidate_path_gives_the_full_ranking(big, monkeypatch):
    calls = []
    pick = mi.candidate_rows
    monkeypatch.setattr(mi, "candidate_rows", lambda *a: calls.append(1) or pick(*a))
    full = _full(big)
    for p in PROBLEMS:
        for top in (1, 10, 15):
            assert _ranked(big, p, top=top) == _ranked(full, p, top=top)
    flt = {"regions": ["seoul"], "max_price": 60_000_000, "exclude_ids": ["g1", "g2"]}
    assert _ranked(big, PROBLEMS[0], top=10, filters=flt) == _ranked(full, PROBLEMS[0], top=10, filters=flt)
    assert len(calls) == 3 * len(PROBLEMS) + 1  # the candidate path ran for every big-block query


def test_candidate_path_from_a_loaded_snapshot(big, tmp_path):
    big.save(tmp_path / "snap")
    loaded = MatchIndex.load(tmp_path / "snap")
    accel = loaded._snap().offerings.accel
    assert accel is not None and accel.XwR.shape == (800, big._snap().offerings.main.XwT.shape[0])
    full = _full(loaded)
    for p in PROBLEMS:
        assert _ranked(loaded, p, top=10) == _ranked(full, p, top=10) == _ranked(big, p, top=10)


def test_candidate_path_after_updates(big, demo_offerings):
    ranked = big.rank_offerings(PROBLEMS[0], top=3)
    big.remove_offering(ranked[0].id)
    big.upsert_offering(replace(demo_offerings[0], id="fresh"))
    full = _full(big)
    assert ranked[0].id not in [m.id for m in big.rank_offerings(PROBLEMS[0], top=10)]
    for p in PROBLEMS:
        assert _ranked(big, p, top=10) == _ranked(full, p, top=10)


def test_estimate_equals_score_pairs(big):
    snap = big._snap()
    block, accel = snap.offerings.main, snap.offerings.accel
    rng = np.random.default_rng(0)
    for p in PROBLEMS:
        pf = problem_features([p], [problem_type_hits(p)])
        text = (rng.random(len(block)) * 0.6).astype(np.float32)
        total, finite = mi._estimate(snap.config, pf, block.feats, accel, text * np.float32(snap.config.text))
        contrib, exact_excluded = score_pairs(pf, block.feats, text[None, :], snap.config)
        expected = sum(contrib[k] for k in CONTRIBUTIONS)[0]
        kept = ~exact_excluded[0]
        assert np.abs(total[kept] - expected[kept]).max() < 1e-5
        assert np.array_equal(np.isneginf(total), exact_excluded[0]) and finite == kept.sum()
        dead = rng.random(len(block)) < 0.3
        total, finite = mi._estimate(snap.config, pf, block.feats, accel, text * np.float32(snap.config.text),
                                     dead=dead)
        assert np.array_equal(np.isneginf(total), exact_excluded[0] | dead) and finite == (kept & ~dead).sum()


def test_small_blocks_have_no_candidate_structures(index):
    assert index._snap().offerings.accel is None


def test_candidate_path_with_a_semantic_channel(generated, monkeypatch):
    class Toy:
        name, dim = "toy", 2

        def embed(self, texts):
            return np.array([[1.0, 0.2] if ("검사" in t or "inspection" in t) else [0.1, 1.0] for t in texts])

    monkeypatch.setattr(mi, "CANDIDATE_MIN_ROWS", 300)
    monkeypatch.setattr(mi, "CANDIDATES", 30)
    monkeypatch.setattr(mi, "CHAR_POSTINGS_BUDGET", 2_000)
    index = MatchIndex.build(generated[:400], PROBLEMS, embedder=Toy())
    assert index._snap().offerings.accel is not None
    full = _full(index)
    for p in PROBLEMS:
        assert _ranked(index, p, top=5) == _ranked(full, p, top=5)

