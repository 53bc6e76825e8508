"""Offering fixtures: a realistic vision offering in one line."""

from __future__ import annotations

import copy

import pytest

from marketplace.core.schemas import parse
from marketplace.offerings import services
from marketplace.offerings.schemas import OfferingCreate

VISION = {
    "title": "정밀 치수 비전검사 (엣지형)",
    "description": "프레스·가공 부품의 홀 위치와 평면도를 고해상도 카메라로 전수 측정합니다. "
                   "라인 옆 엣지 PC에서 동작하므로 이미지가 공장 밖으로 나가지 않습니다.",
    "capabilities": ["visual_inspection", "quality_prediction"],
    "industries": ["C30", "C29"],
    "regions_served": [],
    "deployment_modes": ["edge", "on_premises"],
    "price_min_krw": 80_000_000,
    "price_max_krw": 250_000_000,
    "typical_weeks": 16,
    "capacity": 2,
    "completed_projects": 14,
    "profile": {"quality": 0.95, "throughput": 0.6, "cost": 0.4, "delivery_speed": 0.5, "explainability": 0.8,
                "data_privacy": 0.9, "maintenance": 0.85},
    "references": [{"title": "차체 브래킷 홀 위치 전수검사", "client_description": "경북 자동차 차체부품 1차 협력사 (240명)",
                    "kpi": "치수불량 유출", "achieved": "고객 클레임 620ppm → 45ppm"}],
}

FORECAST = {
    **VISION,
    "title": "소상공인 수요예측 SaaS",
    "description": "POS 판매 데이터와 날씨로 내일 빵 생산량을 예측합니다.",
    "capabilities": ["demand_forecasting"],
    "industries": ["C10"],
    "regions_served": ["busan", "daegu"],
    "deployment_modes": ["cloud"],
    "price_min_krw": 20_000_000,
    "price_max_krw": 45_000_000,
    "typical_weeks": 6,
    "references": [],
}


def vision_data(**overrides) -> dict:
    data = copy.deepcopy(VISION)
    data.update(overrides)
    return data


def vision(**overrides) -> OfferingCreate:
    """The vision offering as its contract (ValidationFailed with messages by field if it is not one)."""
    return parse(OfferingCreate, vision_data(**overrides))


class OfferingFactory:
    def __init__(self, factory):
        self.factory = factory
        self.session = factory.session

    def __call__(self, vendor=None, **overrides):
        vendor = vendor or self.factory.vendor()
        offering = services.create_offering(self.session, vendor=vendor, data=vision(**overrides))
        self.session.commit()
        return offering


@pytest.fixture
def make_offering(factory) -> OfferingFactory:
    return OfferingFactory(factory)


@pytest.fixture
def vendor(factory):
    return factory.vendor()


@pytest.fixture
def vendor_user(factory, vendor):
    return factory.user(vendor)
