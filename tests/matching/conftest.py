import json
from pathlib import Path

import pytest

from matching import MatchIndex, OfferingRecord, ProblemRecord, offering_from_dict

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "data"


@pytest.fixture(scope="session")
def demo_offerings():
    return [offering_from_dict(json.loads(line))
            for line in (BENCH / "matching_offerings.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def bakery():
    return ProblemRecord("p-bakery", "동네 빵집 수요 예측", "매일 구울 빵의 양을 예측해서 폐기를 줄이고 싶어요",
                         industry="C10", region="seoul", budget_max=10_000_000, weights={"cost": 3, "quality": 1})


@pytest.fixture
def autoparts():
    return ProblemRecord("p-auto", "자동차 부품 치수 불량 검사",
                         "CNC 가공 부품의 치수 불량을 카메라로 자동 검사하고 싶습니다. 품질이 가장 중요합니다.",
                         industry="C30", region="gyeongbuk", budget_max=100_000_000, on_premises_required=True,
                         weights={"quality": 5, "throughput": 1})


@pytest.fixture
def index(demo_offerings, bakery, autoparts):
    return MatchIndex.build(demo_offerings, [bakery, autoparts])


@pytest.fixture
def small_offerings():
    return [
        OfferingRecord("en-vision", "Defect inspection with machine vision",
                       "Deep learning defect inspection for surface defects on production lines",
                       deployment_modes=["edge"], profile={"quality": 0.9}),
        OfferingRecord("ko-forecast", "수요 예측 서비스", "판매 데이터로 수요 예측", deployment_modes=["cloud"]),
    ]
