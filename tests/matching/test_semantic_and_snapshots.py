"""The semantic channel, stored embeddings, memory-mapped snapshots, bilingual search, determinism, bad input."""

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from matching import (
    MatchIndex,
    MatchingError,
    OfferingRecord,
    ProblemRecord,
    RecordError,
    default_embedder,
    search,
)

ROOT = Path(__file__).resolve().parents[2]


class Grams:
    """A deterministic toy embedder: hashed character trigrams (stable across processes)."""

    name = "toy-grams"
    dim = 64

    def __init__(self):
        self.calls = 0

    def embed(self, texts):
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            t = text.lower()
            for j in range(max(len(t) - 2, 1)):
                out[i, zlib.crc32(t[j:j + 3].encode()) % self.dim] += 1.0
            out[i, 0] += 1e-3
        return out / np.linalg.norm(out, axis=1, keepdims=True)


OFFERINGS = [
    OfferingRecord("ko-injection", "사출 성형 불량 예측", "사출기 공정 데이터로 쇼트샷과 버 불량을 예측합니다.",
                   capabilities=["quality_prediction"], industries=["C22"]),
    OfferingRecord("en-injection", "Injection moulding defect prediction",
                   "Predicts short shots and flash from injection moulding machine data.",
                   capabilities=["quality prediction"], industries=["C22"]),
    OfferingRecord("ko-bakery", "베이커리 수요 예측", "POS 데이터로 빵 판매량을 예측합니다.", capabilities=["수요 예측"],
                   industries=["C10"]),
    OfferingRecord("en-welding", "Weld seam inspection", "Machine vision inspects weld seams on steel frames.",
                   capabilities=["visual inspection"], industries=["C25"]),
]


def test_catalogue_search_is_bilingual():
    index = MatchIndex.build(OFFERINGS)
    for query in ("injection", "사출", "injection moulding", "사출 성형"):
        ids = [h.id for h in search(index, query)]
        assert {"ko-injection", "en-injection"} <= set(ids[:2]), (query, ids)
    welding = search(index, "용접")
    assert welding and welding[0].id == "en-welding"
    assert search(index, "   ") == []
    hit = search(index, "injection")[0]
    assert hit.matched_terms and 0 < hit.score <= 1


def test_opportunity_search_finds_problems_in_the_other_language():
    problems = [ProblemRecord("p-ko", "사출 불량", "사출 성형 쇼트샷 불량을 줄이고 싶습니다.", industry="C22"),
                ProblemRecord("p-en", "Bakery demand", "Forecast daily bread demand to cut waste.", industry="C10")]
    index = MatchIndex.build(OFFERINGS, problems)
    assert [h.id for h in search(index, "injection moulding", kind="problem")][:1] == ["p-ko"]
    assert [h.id for h in search(index, "수요 예측", kind="problem")][:1] == ["p-en"]
    with pytest.raises(MatchingError):
        search(index, "x", kind="vendors")


def test_stored_embeddings_are_used_and_never_recomputed_at_query_time():
    toy = Grams()
    stored = [OfferingRecord(o.id, o.title, o.description, capabilities=o.capabilities, industries=o.industries,
                             embedding=toy.embed([o.text])[0], embedding_model=toy.name) for o in OFFERINGS]
    toy.calls = 0
    index = MatchIndex.build(stored, embedder=toy, require_embeddings=True)
    assert toy.calls == 0
    problem = ProblemRecord("p", "사출 불량 예측", "사출 공정 불량을 예측하고 싶습니다")
    ranked = index.rank_offerings(problem)
    assert toy.calls == 1  # the problem, once per ranking
    assert ranked[0].id in ("ko-injection", "en-injection")
    assert index.get_offering("ko-injection").embedding is None  # the matrix holds it
    assert np.allclose(index.embedding("offering", "ko-injection"), stored[0].embedding / np.linalg.norm(stored[0].embedding))
    # The documented fallback: an offering without a stored vector is embedded when indexed, to the same ranking.
    fallback = MatchIndex.build(OFFERINGS, embedder=toy)
    assert [(m.id, m.score) for m in fallback.rank_offerings(problem)] == [(m.id, m.score) for m in ranked]


def test_a_missing_or_foreign_embedding_is_a_clear_error():
    toy = Grams()
    with pytest.raises(MatchingError, match="no stored embedding"):
        MatchIndex.build(OFFERINGS, embedder=toy, require_embeddings=True)
    index = MatchIndex.build([], embedder=toy, require_embeddings=True)
    with pytest.raises(MatchingError, match="no stored embedding"):
        index.upsert_offering(OFFERINGS[0])
    foreign = OfferingRecord("o", "vision", "inspection", embedding=np.ones(64), embedding_model="another-model")
    with pytest.raises(MatchingError, match="another-model"):
        MatchIndex.build([foreign], embedder=toy)
    with pytest.raises(MatchingError, match="64"):
        MatchIndex.build([OfferingRecord("o", "vision", "inspection", embedding=np.ones(8))], embedder=toy)
    with pytest.raises(RecordError, match="NaN"):
        OfferingRecord("o", "x", "y", embedding=[1.0, float("nan")])


def test_snapshot_is_memory_mapped_shared_and_ranks_the_same(tmp_path):
    toy = Grams()
    problems = [ProblemRecord("p", "사출 불량 예측", "사출 공정 불량을 예측하고 싶습니다", industry="C22")]
    index = MatchIndex.build(OFFERINGS, problems, embedder=toy)
    before = [(m.id, m.score, [r.code for r in m.reasons]) for m in index.rank_offerings("p")]
    index.save(tmp_path / "snap")
    loaded = MatchIndex.load(tmp_path / "snap", embedder=toy)
    block = loaded._snap().offerings.main
    for arr in (block.emb, block.XcT.data, block.feats.profile):  # views of read-only file mappings
        assert isinstance(arr.base, np.memmap) and not arr.flags.writeable
    assert [(m.id, m.score, [r.code for r in m.reasons]) for m in loaded.rank_offerings("p")] == before
    loaded.upsert_offering(OfferingRecord("new", "사출 금형 관리", "금형 교체 주기를 예측합니다", industries=["C22"]))
    assert "new" in [m.id for m in loaded.rank_offerings("p", top=10)]
    with pytest.raises(MatchingError, match="embedder"):
        MatchIndex.load(tmp_path / "snap")


def test_a_corrupt_snapshot_is_refused(tmp_path):
    MatchIndex.build(OFFERINGS).save(tmp_path / "snap")
    victim = tmp_path / "snap" / "offerings_word_data.npy"
    victim.write_bytes(victim.read_bytes()[:-8] + b"\x00" * 8)
    with pytest.raises(MatchingError, match="corrupt"):
        MatchIndex.load(tmp_path / "snap")
    (tmp_path / "snap" / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(MatchingError):
        MatchIndex.load(tmp_path / "snap")


def test_real_multilingual_model_links_korean_and_english():
    emb = default_embedder()
    vecs = emb.embed(["Injection moulding defect prediction for plastic parts", "Bakery demand forecasting"])
    query = emb.embed_query(["플라스틱 사출 불량 예측"])
    assert vecs.shape == (2, 384) and vecs.dtype == np.float32
    assert float(query[0] @ vecs[0]) > float(query[0] @ vecs[1])
    assert np.array_equal(emb.embed_query(["플라스틱 사출 불량 예측"]), query)  # deterministic
    long = emb.embed(["사출 " * 50_000])  # 100 KB+: cut to MAX_CHARS, not a 40-second call
    assert long.shape == (1, 384)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("title,description", [("", ""), ("  ", "\n\t")])
def test_empty_texts_are_refused(title, description):
    with pytest.raises(RecordError, match="title or a description"):
        OfferingRecord("o", title, description)
    with pytest.raises(RecordError, match="title or a description"):
        ProblemRecord("p", title, description)


def test_texts_in_other_scripts_and_long_texts_rank_without_error():
    odd = [OfferingRecord("greek", "Ελληνικά", "Επιθεώρηση ελαττωμάτων με κάμερα"),
           OfferingRecord("arabic", "العربية", "فحص العيوب بالكاميرا"),
           OfferingRecord("emoji", "🔧🏭", "⚙️ 🤖"),
           OfferingRecord("long", "사출 불량 예측", "사출 불량 예측 " * 11_000)]
    index = MatchIndex.build(OFFERINGS + odd, embedder=Grams())
    ranked = index.rank_offerings(ProblemRecord("p", "Επιθεώρηση", "κάμερα 🤖 فحص"), top=10)
    assert len(ranked) == 8 and ranked[0].id in ("greek", "arabic", "emoji")
    assert index.rank_offerings(ProblemRecord("q", "사출 불량", "사출 불량 예측"))[0].id in ("long", "ko-injection")
    with pytest.raises(RecordError, match="longer than"):
        OfferingRecord("huge", "x", "가" * 100_001)


def test_duplicate_ids_and_nan_weights_are_refused():
    with pytest.raises(RecordError, match="duplicate id"):
        MatchIndex.build([OFFERINGS[0], OFFERINGS[0]])
    for bad in ({"quality": float("nan")}, {"quality": float("inf")}, {"quality": -1}, {"quality": 0}):
        with pytest.raises(RecordError):
            ProblemRecord("p", "x", weights=bad)
    index = MatchIndex.build(OFFERINGS)
    with pytest.raises(RecordError):
        index.rank_offerings(ProblemRecord("p", "사출"), weights={"cost": float("nan")})
    for kw in ({"semantic_weight": float("nan")}, {"semantic_floor": 1.0}, {"alpha": -0.1}):
        with pytest.raises(MatchingError):
            MatchIndex(**kw)


# --------------------------------------------------------------------------- determinism

_SCRIPT = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from matching import MatchIndex, offering_from_dict, problem_from_dict, search
from pathlib import Path
data = Path(sys.argv[1]) / "benchmarks" / "data"
offerings = [offering_from_dict(json.loads(x)) for x in (data / "matching_offerings.jsonl").open(encoding="utf-8") if x.strip()]
queries = [problem_from_dict(json.loads(x)["problem"]) for x in (data / "matching_queries.jsonl").open(encoding="utf-8") if x.strip()][:40]
index = MatchIndex.build(offerings, queries)
out = {str(q.id): [[m.id, m.score, [r.as_dict(("ko",)) for r in m.reasons], list(m.matched_terms)]
                   for m in index.rank_offerings(q.id, top=10)] for q in queries}
out["search"] = [[h.id, h.score, list(h.matched_terms)] for h in search(index, "사출 불량 검사 injection")]
out["problems"] = [[m.id, m.score] for m in index.rank_problems(offerings[0].id, top=10)]
from matching import default_embedder
semantic = MatchIndex.build(offerings[:16], queries[:6], embedder=default_embedder())
out["semantic"] = {str(q.id): [[m.id, m.score] for m in semantic.rank_offerings(q.id, top=5)] for q in queries[:6]}
print(json.dumps(out, ensure_ascii=False, sort_keys=True))
"""


def test_the_same_data_ranks_the_same_in_two_processes_with_different_hash_seeds():
    outputs = []
    for seed, threads in (("1", "1"), ("4242", "2")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "OMP_NUM_THREADS": threads}
        proc = subprocess.run([sys.executable, "-c", _SCRIPT, str(ROOT)], capture_output=True, text=True, env=env,
                              timeout=120, check=True)
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]
    assert len(json.loads(outputs[0])) == 43


def test_a_korean_problem_finds_an_english_offering_and_the_reverse():
    offerings = [
        OfferingRecord("en-forecast", "Bakery demand forecasting",
                       "Forecasts tomorrow's sales per item from POS history and weather to cut waste."),
        OfferingRecord("en-weld", "Weld seam inspection", "Cameras check weld seams on steel frames for defects."),
        OfferingRecord("ko-chatbot", "고객 상담 챗봇", "쇼핑몰 고객 문의에 자동으로 답하는 상담 챗봇입니다."),
    ]
    index = MatchIndex.build(offerings, embedder=default_embedder())
    ko = index.rank_offerings(ProblemRecord("p-ko", "빵집 판매량 예측", "매일 빵이 얼마나 팔릴지 예측해서 폐기를 줄이고 싶어요."))
    assert ko[0].id == "en-forecast"
    en = index.rank_offerings(ProblemRecord("p-en", "Customer service chatbot",
                                            "We want a chatbot that answers our online shop's customer questions."))
    assert en[0].id == "ko-chatbot"
