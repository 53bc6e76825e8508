import ast
import threading
from pathlib import Path

import numpy as np
import pytest

from matching import MatchIndex, MatchingError, OfferingRecord, ProblemRecord, Weights, assign
from matching.tokens import word_tokens

MATCHING = Path(__file__).resolve().parents[2] / "matching"


def test_library_imports_no_web_or_database_code():
    banned = {"flask", "sqlalchemy", "sqlmodel", "marketplace", "psycopg", "alembic", "contracts", "seed"}
    for path in MATCHING.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in banned, f"{path.name} imports {name}"


def test_bakery_finds_bakery_forecasting_first(index, bakery):
    matches = index.rank_offerings(bakery, top=5)
    assert matches[0].id == "o01"
    assert {"o01", "o36"} & {m.id for m in matches[:3]}


def test_korean_problem_finds_english_offering(small_offerings):
    p = ProblemRecord("p", "불량 검사 자동화", "외관 불량 검사를 자동으로 하고 싶습니다")
    idx = MatchIndex.build(small_offerings, [p])
    top = idx.rank_offerings(p, top=2)
    assert top[0].id == "en-vision"
    assert top[0].contributions["taxonomy"] > 0
    assert any(r.code == "problem_type_match" for r in top[0].reasons)


def test_hard_constraint_filters_and_explain_says_why(index, autoparts):
    ids = [m.id for m in index.rank_offerings(autoparts, top=40)]
    cloud_only = {o.id for o in index._snap().offerings.main.records if o.deployment_modes == ("cloud",)}
    assert cloud_only and not cloud_only & set(ids)
    why = index.explain(autoparts, sorted(cloud_only)[0])
    assert why.excluded and any(r.code == "cloud_only" for r in why.reasons)
    assert "cloud-only" in [r for r in why.reasons if r.code == "cloud_only"][0].text("en")


def test_vision_problem_ranks_dimension_inspection_high_and_names_mismatch(index, autoparts):
    matches = index.rank_offerings(autoparts, top=5)
    assert matches[0].id in {"o04", "o06"}
    by_id = {m.id: m for m in index.rank_offerings(autoparts, top=40)}
    # HyperSpeed (o05) leans on throughput; the SME weights quality most.
    mismatch = [r for r in by_id["o05"].reasons if r.code == "criteria_mismatch"]
    assert mismatch and mismatch[0].params["wanted"] == "quality" and mismatch[0].params["leans_on"] == "throughput"
    assert "품질" in mismatch[0].text("ko") and "throughput" in mismatch[0].text("en")


def test_soft_constraints_lower_the_score_with_a_reason(small_offerings):
    base = OfferingRecord("a", "수요 예측", "빵 판매량 수요 예측", price_min=5_000_000)
    pricey = OfferingRecord("b", "수요 예측", "빵 판매량 수요 예측", price_min=50_000_000)
    far = OfferingRecord("c", "수요 예측", "빵 판매량 수요 예측", price_min=5_000_000, regions_served=["busan"])
    p = ProblemRecord("p", "빵 수요 예측", "내일 빵 판매량", region="seoul", budget_max=10_000_000)
    idx = MatchIndex.build([base, pricey, far], [p])
    m = {x.id: x for x in idx.rank_offerings(p)}
    assert m["a"].score > m["b"].score and m["a"].score > m["c"].score
    assert [r for r in m["b"].reasons if r.code == "budget_below_price"]
    assert [r for r in m["c"].reasons if r.code == "region_not_served"]
    assert m["b"].contributions["constraints"] < 0 and m["c"].contributions["constraints"] < 0


def _check_reason(r, p, o, weights):
    ptoks, otoks = set(word_tokens(p.text)), set(word_tokens(o.text))
    if r.code == "text_match":
        assert all(t in ptoks and t in otoks for t in r.params["terms"])
    elif r.code == "budget_below_price":
        assert p.budget < (o.price_min if o.price_min is not None else o.price_max) == r.params["price_min"]
    elif r.code == "budget_within":
        assert p.budget >= r.params["price_min"]
    elif r.code == "region_not_served":
        assert o.regions_served and p.region not in o.regions_served
    elif r.code == "region_served":
        assert not o.regions_served or p.region in o.regions_served
    elif r.code == "criteria_mismatch":
        assert weights.top() == r.params["wanted"]
        assert o.profile[r.params["leans_on"]] == max(o.profile.values()) > o.profile[r.params["wanted"]]
    elif r.code == "criteria_fit":
        assert weights.top() == r.params["criterion"] and o.profile[r.params["criterion"]] >= 0.7
    elif r.code == "industry_match":
        assert any(c.startswith(r.params["industry"]) for c in o.industries) and p.industry.startswith(r.params["industry"])
    elif r.code == "on_premises_ok":
        assert p.on_premises_required and set(r.params["modes"]) <= {"on_premises", "hybrid", "edge"}
        assert set(r.params["modes"]) <= set(o.deployment_modes)
    elif r.code == "track_record":
        assert r.params["completed"] == o.completed_projects > 0
    elif r.code == "problem_type_match":
        from matching.scoring import offering_type_hits, problem_type_hits
        ph, oh = problem_type_hits(p), offering_type_hits(o)
        assert set(r.params["codes"]) <= set(ph.types) & set(oh.types)
        assert r.params["source"] == ("declared" if oh.declared else "description")
    elif r.code == "problem_type_mentioned":
        from matching.scoring import offering_type_hits, problem_type_hits
        ph, oh = problem_type_hits(p), offering_type_hits(o)
        assert oh.declared and set(r.params["codes"]) <= set(ph.types) & set(oh.mentioned)
        assert not set(r.params["codes"]) & set(oh.declared)
    for lang in ("ko", "en"):
        assert r.text(lang).strip()


def test_every_reason_is_true_of_the_data(index, bakery, autoparts):
    for p in (bakery, autoparts):
        for m in index.rank_offerings(p, top=40):
            o = index.get_offering(m.id)
            assert m.score == pytest.approx(sum(m.contributions.values()), abs=1e-5)
            for r in m.reasons:
                _check_reason(r, p, o, p.weights)


def test_weights_override_changes_criteria_contribution(index, autoparts):
    q = {m.id: m for m in index.rank_offerings(autoparts, top=40, weights={"quality": 1})}
    t = {m.id: m for m in index.rank_offerings(autoparts, top=40, weights={"throughput": 1})}
    assert t["o05"].contributions["criteria"] > q["o05"].contributions["criteria"]


def test_rank_problems_for_a_vendor(index):
    top = index.rank_problems("o01", top=2)
    assert top[0].id == "p-bakery"
    lists = index.rank_problems(["o01", "o06"], top=1)
    assert [l[0].id for l in lists] == ["p-bakery", "p-auto"]


def test_incremental_update_is_reflected_in_next_ranking(index, bakery):
    new = OfferingRecord("new-bakery", "빵집 전용 수요 예측", "동네 빵집의 매일 빵 수요 예측으로 폐기를 줄입니다",
                         capabilities=["수요 예측"], industries=["C10"], price_min=1_000_000,
                         profile={"cost": 1.0}, completed_projects=30, mean_review=5.0)
    index.upsert_offering(new)
    assert index.rank_offerings(bakery, top=1)[0].id == "new-bakery"
    index.upsert_offering(OfferingRecord("new-bakery", "Tyre recycling", "Rubber crumb from tyres"))
    assert "new-bakery" not in [m.id for m in index.rank_offerings(bakery, top=3)]
    assert index.remove_offering("o01") and not index.remove_offering("o01")
    assert "o01" not in [m.id for m in index.rank_offerings(bakery, top=40)]
    assert index.get_offering("o01") is None


def test_many_upserts_compact_and_stay_consistent(demo_offerings, bakery):
    idx = MatchIndex.build(demo_offerings, [bakery])
    for i in range(300):
        idx.upsert_offering(OfferingRecord(f"x{i}", f"Generic service {i}", "Data dashboards"))
    assert idx.offering_count == 340
    assert idx.rank_offerings(bakery, top=1)[0].id == "o01"


def test_persistence_round_trip(index, bakery, autoparts, tmp_path):
    index.upsert_offering(OfferingRecord("late", "OCR for invoices", "Reads invoices"))
    before = [(m.id, round(m.score, 5)) for m in index.rank_offerings(autoparts, top=10)]
    index.save(tmp_path / "idx")
    index.save(tmp_path / "idx")  # overwrite in place
    loaded = MatchIndex.load(tmp_path / "idx")
    assert [(m.id, round(m.score, 5)) for m in loaded.rank_offerings(autoparts, top=10)] == before
    assert loaded.get_problem("p-bakery") == bakery
    loaded.upsert_problem(ProblemRecord("p3", "OCR", "invoice OCR"))
    assert loaded.rank_offerings("p3", top=1)[0].id in {"late", "o27"}
    with pytest.raises(MatchingError):
        MatchIndex.load(tmp_path / "nothing")


def test_concurrent_reads_during_writes(demo_offerings, bakery):
    idx = MatchIndex.build(demo_offerings, [bakery])
    errors = []

    def read():
        try:
            for _ in range(30):
                assert idx.rank_offerings(bakery, top=3)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(30):
        idx.upsert_offering(OfferingRecord(f"w{i}", "수요 예측", "빵 수요"))
        idx.remove_offering(f"w{i - 1}")
    for t in threads:
        t.join()
    assert not errors


def test_batch_matches_single_queries(index, bakery, autoparts):
    batch = index.batch(top=3)
    for p in (bakery, autoparts):
        single = index.rank_offerings(p, top=3)
        assert [m.id for m in batch[p.id]] == [m.id for m in single]
        assert [m.score for m in batch[p.id]] == pytest.approx([m.score for m in single], abs=1e-5)
    by_offering = index.batch(top=1, direction="problems")
    assert by_offering["o01"][0].id == "p-bakery"


def test_semantic_channel_plugs_in(small_offerings):
    class Toy:
        name, dim = "toy", 2

        def embed(self, texts):
            return np.array([[1.0, 0.0] if ("vision" in t or "검사" in t) else [0.0, 1.0] for t in texts])

    p = ProblemRecord("p", "검사", "검사")
    idx = MatchIndex.build(small_offerings, [p], embedder=Toy())
    assert idx.rank_offerings(p, top=1)[0].id == "en-vision"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("kwargs", [
    {"title": "", "description": "  "},
    {"title": "x", "budget_max": float("nan")},
    {"title": "x", "budget_max": -1},
    {"title": "x", "budget_max": 10**20},
    {"title": "x", "budget_min": 5, "budget_max": 1},
    {"title": "x", "weights": {"quality": 0, "cost": 0}},
    {"title": "x", "weights": {"quality": -1}},
    {"title": "x", "weights": {"quality": float("inf")}},
    {"title": "x", "weights": {"speed": 1}},
    {"title": "x", "region": "atlantis"},
    {"title": "x", "industry": "Z99"},
])
def test_bad_problem_input_raises_clear_error(kwargs):
    with pytest.raises(MatchingError) as err:
        ProblemRecord("p", **kwargs)
    assert str(err.value)


@pytest.mark.parametrize("kwargs", [
    {"profile": {"quality": 1.5}},
    {"profile": {"quality": float("nan")}},
    {"deployment_modes": ["mainframe"]},
    {"price_min": float("inf")},
    {"capacity": -1},
    {"mean_review": 7},
])
def test_bad_offering_input_raises_clear_error(kwargs):
    with pytest.raises(MatchingError):
        OfferingRecord("o", "title", **kwargs)


def test_documented_defaults():
    assert Weights.from_mapping(None) == Weights.from_mapping({}) == Weights.uniform()
    w = Weights.from_mapping({"quality": 3, "cost": 1})
    assert w.as_dict()["quality"] == pytest.approx(0.75) and w.top() == "quality"
    o = OfferingRecord("o", "t", deployment_modes=["On-Premises"], regions_served=["서울"])
    assert o.deployment_modes == ("on_premises",) and o.regions_served == ("seoul",) and o.capacity == 1


def test_bad_query_arguments(index, bakery):
    with pytest.raises(MatchingError):
        index.rank_offerings(bakery, top=0)
    with pytest.raises(MatchingError):
        index.rank_offerings("no-such-problem")
    with pytest.raises(MatchingError):
        index.rank_offerings(bakery, filters={"regions": ["mars"]})
    with pytest.raises(MatchingError):
        MatchIndex().rank_offerings(bakery)


def test_filters(index, bakery):
    ids = [m.id for m in index.rank_offerings(bakery, top=40, filters={"max_price": 10_000_000})]
    assert ids and all(index.get_offering(i).price_min <= 10_000_000 for i in ids)


# --------------------------------------------------------------------------- assignment


def test_assignment_beats_greedy_and_respects_capacities():
    # Greedy takes 0->A (0.9); the optimum gives A to 1 and B to 0.
    S = np.array([[0.9, 0.8], [0.85, -np.inf]])
    a = assign(S, [1, 1])
    assert a.objective == pytest.approx(1.65) and a.greedy_objective == pytest.approx(0.9)
    rng = np.random.default_rng(1)
    S = rng.random((60, 15))
    S[rng.random(S.shape) < 0.2] = -np.inf
    cap = rng.integers(0, 4, 15)
    a = assign(S, cap, top_k=None)
    assert a.objective >= a.greedy_objective - 1e-9
    load = np.bincount([j for _, j, _ in a.pairs], minlength=15)
    assert (load <= cap).all()
    assert len({i for i, _, _ in a.pairs}) == len(a.pairs)
    assert all(np.isfinite(s) for _, _, s in a.pairs)


def test_assignment_min_non_capital_share():
    rng = np.random.default_rng(2)
    S = rng.random((40, 5))
    capital = np.arange(40) < 30
    S[capital] += 0.5  # capital-region problems score higher
    a = assign(S, [2] * 5, problem_is_capital=capital)
    assert a.non_capital_share < 0.5
    b = assign(S, [2] * 5, 0.5, problem_is_capital=capital)
    assert b.min_share_met and b.non_capital_share >= 0.5
    assert len(b.pairs) == 10 and b.objective <= a.objective
    c = assign(S[:, :1], [40], 0.9, problem_is_capital=capital)
    assert not c.min_share_met


def test_assignment_from_index_score_matrix(index):
    sm = index.score_matrix()
    a = assign(sm)
    assert a.objective >= a.greedy_objective - 1e-9
    assert dict((p, o) for p, o, _ in a.pairs)["p-bakery"] in {"o01", "o36", "o02"}


@pytest.mark.parametrize("bad", [np.array([[np.nan]]), np.array([1.0, 2.0]), np.array([[np.inf]])])
def test_assignment_bad_input(bad):
    with pytest.raises(MatchingError):
        assign(bad)
