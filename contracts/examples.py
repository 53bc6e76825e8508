"""Realistic example terms, for previews, tests and the render benchmark.

Fictional companies; business registration numbers are made up but pass the check digit.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from .clauses import CURRENT_VERSION
from .terms import (
    AgreementTerms, Bilingual, ClientKind, Deliverable, DeliverableKind, Direction,
    IpOwnership, Kpi, LatePenalty, Maintenance, Member, Milestone, Party, PartyRole,
    Signature, Subsidy,
)

__all__ = ["bakery_terms", "cooperative_terms"]

BAKERY = Party(
    name=Bilingual("행복한제빵소", "Haengbokhan Bakehouse"),
    business_registration_no="605-12-34569",
    representative=Bilingual("김민지", "Kim Min-ji"),
    address=Bilingual("부산광역시 해운대구 해운대로570번길 12, 1층",
                      "1F, 12 Haeundae-ro 570beon-gil, Haeundae-gu, Busan"),
    region="부산광역시",
)

DATAON = Party(
    name=Bilingual("주식회사 데이터온", "DataOn Inc."),
    business_registration_no="214-87-65433",
    representative=Bilingual("박준호", "Park Jun-ho"),
    address=Bilingual("서울특별시 강남구 테헤란로 427, 10층",
                      "10F, 427 Teheran-ro, Gangnam-gu, Seoul"),
    region="서울특별시",
)


def bakery_terms(*, signed: bool = False, **changes) -> AgreementTerms:
    """A neighbourhood bakery forecasting tomorrow's bread to cut waste from 12% to 5%."""
    signatures = ()
    if signed:
        signatures = (
            Signature(PartyRole.CLIENT, BAKERY.business_registration_no, "김민지",
                      datetime(2026, 3, 3, 0, 12, 5, tzinfo=timezone.utc), "211.234.10.7"),
            Signature(PartyRole.VENDOR, DATAON.business_registration_no, "박준호",
                      datetime(2026, 3, 3, 2, 40, 51, tzinfo=timezone.utc), "203.0.113.24"),
        )
    terms = AgreementTerms(
        agreement_id="AXB-2026-000142",
        version=1,
        clause_library_version=CURRENT_VERSION,
        created=date(2026, 3, 2),
        client_kind=ClientKind.SME,
        client=BAKERY,
        vendor=DATAON,
        project_title="빵 품목별 익일 수요 예측으로 당일 폐기율 낮추기",
        project_summary=(
            "매장 POS 판매 기록과 날씨·요일·지역 행사 정보를 바탕으로 빵 42개 품목의 다음 날 "
            "생산량을 추천하여, 현재 12%인 당일 폐기율을 5% 이하로 낮춘다.\n"
            "제빵사는 매일 저녁 8시까지 추천 생산량을 확인하고 직접 조정할 수 있어야 한다."),
        scope=(
            "POS 판매·폐기 데이터(2023년 1월~2025년 12월) 정제 및 품목 코드 통합",
            "기상청 날씨, 공휴일, 해운대 지역 행사 데이터 연계",
            "품목별 익일 수요 예측 모델 개발 및 검증",
            "매일 20시 품목별 생산 추천표를 매장 태블릿 화면과 알림 메시지로 제공",
            "제빵사 대상 사용 교육 2회",
        ),
        out_of_scope=("POS 시스템의 교체 또는 개조", "원재료 발주 자동화"),
        data_provided=(
            "POS 품목별 일 판매·폐기 기록(2023년 1월~2025년 12월, CSV)",
            "생산 일지(엑셀, 2024년 1월부터)",
        ),
        deliverables=(
            Deliverable(DeliverableKind.MODEL, "품목별 익일 수요 예측 모델",
                        "학습된 가중치, 학습·추론 코드, 재학습 스크립트"),
            Deliverable(DeliverableKind.SERVICE, "생산 추천 웹 서비스",
                        "태블릿용 화면, 매일 20시 추천 알림, 추천량 수정 기록"),
            Deliverable(DeliverableKind.DOCUMENTATION, "모델 설명서·운영 매뉴얼",
                        "모델 카드, 운영 매뉴얼, 재학습 절차서"),
        ),
        milestones=(
            Milestone(1, "데이터 정제 및 분석", "데이터 분석 보고서", 20, due_week=4),
            Milestone(2, "예측 모델 개발 및 검증", "수요 예측 모델 v1, 검증 보고서", 40,
                      due_week=10),
            Milestone(3, "서비스 구축 및 시범 운영", "생산 추천 서비스, 운영 매뉴얼", 40,
                      due_date=date(2026, 6, 30)),
        ),
        price_won=48_000_000,
        kpis=(
            Kpi("당일 폐기율", "%", Decimal("12"), Decimal("5"), Decimal("5"),
                Direction.LOWER_IS_BETTER, "2025년 10~12월 판매·폐기 기록(홀드아웃)"),
            Kpi("품목별 판매 예측 오차(WAPE)", "%", Decimal("28"), Decimal("15"),
                Decimal("14"), Direction.LOWER_IS_BETTER,
                "2025년 10~12월 판매·폐기 기록(홀드아웃)"),
            Kpi("일 평균 결품 품목 수", "개", Decimal("3.2"), Decimal("2"), Decimal("2"),
                Direction.LOWER_IS_BETTER, "2025년 10~12월 판매·폐기 기록(홀드아웃)"),
        ),
        acceptance_days=14,
        resubmission_days=21,
        ip_ownership=IpOwnership.SME,
        on_premises=False,
        warranty_months=12,
        liability_cap_multiple=Decimal("1"),
        late_penalty=LatePenalty(Decimal("0.5"), 10),
        subsidy=Subsidy(
            program_name=Bilingual("AI 바우처 지원사업", "AI Voucher"),
            agency_name=Bilingual("정보통신산업진흥원(NIPA)",
                                  "the National IT Industry Promotion Agency (NIPA)"),
            subsidy_won=38_400_000,
            sme_share_won=9_600_000,
            ratio=Decimal("0.8"),
        ),
        maintenance=Maintenance(
            yearly_won=4_800_000, years=2,
            service_level=("평일 09~18시 원격 지원, 장애 접수 후 4시간 이내 응답, "
                           "분기 1회 성능 점검 및 필요 시 재학습")),
        signatures=signatures,
    )
    return terms.replace(**changes) if changes else terms


def cooperative_terms(**changes) -> AgreementTerms:
    """A machine-parts cooperative's joint predictive-maintenance problem for three members."""
    members = (
        Member(Party(Bilingual("대성정밀", "Daesung Precision"), "613-81-09882",
                     Bilingual("이상훈", "Lee Sang-hoon"),
                     Bilingual("경상남도 창원시 성산구 공단로 101", "101 Gongdan-ro, Seongsan-gu, Changwon"),
                     "경상남도"), 24_000_000),
        Member(Party(Bilingual("한일기공", "Hanil Machinery"), "607-82-22456",
                     Bilingual("정미영", "Jung Mi-young"),
                     Bilingual("경상남도 창원시 의창구 팔용로 55", "55 Paryong-ro, Uichang-gu, Changwon"),
                     "경상남도"), 18_000_000),
        Member(Party(Bilingual("우리베어링", "Woori Bearing"), "608-85-11161",
                     Bilingual("최동수", "Choi Dong-su"),
                     Bilingual("경상남도 김해시 주촌면 골든루트로 80", "80 Goldenroot-ro, Juchon-myeon, Gimhae"),
                     "경상남도"), 18_000_000),
    )
    terms = bakery_terms().replace(
        agreement_id="AXB-2026-000157",
        client_kind=ClientKind.COOPERATIVE,
        client=Party(Bilingual("경남기계부품협동조합", "Gyeongnam Machine Parts Cooperative"),
                     "615-82-70319", Bilingual("오세진", "Oh Se-jin"),
                     Bilingual("경상남도 창원시 성산구 중앙대로 200", "200 Jungang-daero, Seongsan-gu, Changwon"),
                     "경상남도"),
        members=members,
        project_title="CNC 설비 예지보전: 주축 베어링 고장 사전 감지",
        project_summary="조합원 3개사의 CNC 선반 진동·전류 데이터로 주축 베어링 고장을 72시간 전에 감지한다.",
        scope=("3개사 CNC 선반 24대 진동·전류 센서 데이터 수집 체계 구축",
               "고장 사전 감지 모델 개발", "설비 담당자용 경보 대시보드 구축"),
        out_of_scope=(),
        data_provided=("설비 진동·전류 센서 데이터", "설비 고장·정비 이력(2022년부터)"),
        kpis=(Kpi("고장 사전 감지율(72시간 전)", "%", Decimal("0"), Decimal("80"),
                  Decimal("85"), Direction.HIGHER_IS_BETTER, "2025년 고장 이력 검증셋"),
              Kpi("오경보 건수(대당 월)", "건", Decimal("6"), Decimal("1"), Decimal("1"),
                  Direction.LOWER_IS_BETTER, "2025년 고장 이력 검증셋")),
        price_won=120_000_000,
        ip_ownership=IpOwnership.JOINT,
        on_premises=True,
        subsidy=Subsidy(Bilingual("스마트공장 고도화 지원사업", "Smart Factory Upgrade"),
                        Bilingual("중소벤처기업부 스마트제조혁신추진단",
                                  "the Korea Smart Manufacturing Office"),
                        60_000_000, 60_000_000, Decimal("0.5")),
        maintenance=None,
        court=Bilingual("창원지방법원", "the Changwon District Court"),
    )
    return terms.replace(**changes) if changes else terms
