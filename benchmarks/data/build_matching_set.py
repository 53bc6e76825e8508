"""Builds benchmarks/data/matching_queries.jsonl: labelled queries for benchmarks/matching_quality.py.

The queries are problem statements an SME might write (Korean and English),
drawn from the demo world in shared/PRODUCT.md. Labels come from rules on a
hand-assigned *gold* list of problem types per offering (GOLD below), not from
the engine's taxonomy, so the engine is not graded by its own matcher:

    3  the offering solves the query's problem type and lists its industry
    2  it solves the problem type (another industry)
    1  it solves an adjacent type named for the query
    0  otherwise, and always when the query requires on-premises deployment
       and the offering is cloud-only

Each query is put in the ``dev`` or ``test`` split by a fixed hash of its id.
Run: .venv/bin/python benchmarks/data/build_matching_set.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).parent

DF, VI, PM, PO, SCH, QP, AD, INV, EN, DOC = (
    "demand_forecasting", "visual_inspection", "predictive_maintenance", "process_optimization", "scheduling",
    "quality_prediction", "anomaly_detection", "inventory_optimization", "energy_optimization", "document_language",
)

GOLD = {
    "o01": [DF], "o02": [DF], "o03": [DF, SCH], "o04": [VI], "o05": [VI], "o06": [VI], "o07": [VI, QP], "o08": [VI],
    "o09": [PM, AD], "o10": [PM], "o11": [PM], "o12": [PO], "o13": [PO], "o14": [PO], "o15": [PO], "o16": [SCH],
    "o17": [SCH], "o18": [QP], "o19": [QP], "o20": [QP], "o21": [AD], "o22": [AD], "o23": [INV], "o24": [INV],
    "o25": [EN], "o26": [EN], "o27": [DOC], "o28": [DOC], "o29": [DOC], "o30": [QP, VI, AD], "o31": [], "o32": [PO, EN],
    "o33": [PO], "o34": [DF], "o35": [QP], "o36": [DF], "o37": [PM, AD], "o38": [QP, AD], "o39": [], "o40": [SCH],
}

ADJACENT = {
    DF: [INV, SCH], VI: [QP, AD], PM: [AD], PO: [QP, EN], SCH: [DF, INV], QP: [VI, PO, AD], AD: [PM, QP],
    INV: [DF], EN: [PO], DOC: [],
}

# (primary type, industry, region, budget in 만원 or None, on-premises required, text)
Q = [
    # demand forecasting
    (DF, "C10", "seoul", 1000, False, "동네 빵집입니다. 매일 빵을 몇 개 구워야 할지 몰라 저녁마다 많이 버립니다. 내일 팔릴 양을 알고 싶어요."),
    (DF, "C10", "busan", 2000, False, "제과점 품목별 일일 판매량 예측으로 폐기율을 줄이고 싶습니다. POS 데이터 2년치가 있습니다."),
    (DF, "C10", "gwangju", 3000, False, "떡 제조업체로 명절과 평일 주문량 차이가 큽니다. 주문량을 미리 예측해 원료 준비를 하고 싶습니다."),
    (DF, "C11", "jeju", 5000, False, "음료 공장의 계절별 출하량을 예측해 생산 계획을 세우고 싶습니다."),
    (DF, "C30", "ulsan", 8000, True, "자동차 부품 2차 협력사입니다. 완성차 발주 물량 변동을 미리 알아 생산과 자재를 준비하고 싶습니다."),
    (DF, "C29", "gyeongnam", 6000, False, "기계 부품 수주량이 들쭉날쭉합니다. 다음 분기 수요를 예측할 수 있을까요?"),
    (DF, "C25", "daegu", 5000, False, "금형 부품 월별 수주 예측 모델이 필요합니다. ERP 출하 이력이 있습니다."),
    (DF, "C10", "jeonbuk", 1500, False, "김치 공장인데 마트 납품 물량 예측이 안 돼서 재고가 남거나 모자랍니다."),
    (DF, "C10", "seoul", 1000, False, "Small bakery: we throw away unsold bread every evening. We want to know how many loaves to bake tomorrow."),
    (DF, "C10", "gyeonggi", 4000, False, "Daily sales forecasting per product for our snack factory, including holidays and promotions."),
    (DF, "C11", "chungbuk", 5000, False, "Beverage maker needs weekly demand forecasts per SKU to plan production runs."),
    (DF, "C30", "chungnam", 9000, False, "We supply car makers and need to predict order volumes from their EDI call-offs."),
    (DF, "C29", "gyeongnam", 7000, True, "Machine parts supplier wants to forecast monthly orders to plan capacity; data must stay on our servers."),
    (DF, "C10", "daejeon", 2000, False, "Predict tomorrow's demand for fresh sandwiches to cut food waste."),
    (DF, "C25", "incheon", 5000, False, "Forecast demand for our fasteners so we stop overproducing."),
    (DF, "C10", "gangwon", 800, False, "Our rice cake shop wants a simple sales prediction for weekends and festivals."),
    # visual inspection
    (VI, "C30", "gyeongbuk", 10000, True, "자동차 부품의 치수 불량을 사람이 눈으로 검사하고 있습니다. 카메라로 자동 검사하고 싶습니다. 품질이 최우선입니다."),
    (VI, "C22", "gyeonggi", 8000, False, "사출 성형품의 외관 불량(찍힘, 스크래치, 미성형)을 자동으로 잡아내고 싶습니다."),
    (VI, "C25", "gyeongnam", 12000, True, "프레스 가공품 표면 결함 검사 자동화가 필요합니다. 데이터는 외부로 나갈 수 없습니다."),
    (VI, "C26", "chungbuk", 20000, True, "반도체 후공정 외주업체로 불량률을 줄이고 싶습니다. 검사 장비 이미지 판정이 부정확합니다."),
    (VI, "C13", "daegu", 6000, False, "원단 검단을 사람이 하고 있는데 얼룩과 올 불량을 놓칩니다. 비전으로 자동화할 수 있을까요?"),
    (VI, "C28", "gyeonggi", 9000, False, "배터리 셀 외관 검사 속도를 높이고 싶습니다. 라인 속도가 빨라 사람이 따라가지 못합니다."),
    (VI, "C29", "busan", 9000, True, "가공 부품의 치수와 형상을 3D로 측정해 합격 여부를 자동 판정하고 싶습니다."),
    (VI, "C10", "jeonnam", 4000, False, "김 가공 공장에서 이물질과 찢어진 제품을 카메라로 골라내고 싶습니다."),
    (VI, "C30", "ulsan", 15000, True, "Automate dimensional inspection of machined auto parts with cameras; quality matters more than speed."),
    (VI, "C22", "incheon", 7000, False, "Detect surface defects such as scratches and short shots on injection moulded parts."),
    (VI, "C26", "gyeonggi", 25000, True, "Semiconductor subcontractor: reduce false calls of our AOI and classify PCB solder defects."),
    (VI, "C25", "gyeongnam", 10000, True, "Stamped metal parts: we need automated visual inspection at the end of the press line."),
    (VI, "C13", "gyeongbuk", 5000, False, "Fabric defect detection for our weaving mill: stains, holes and broken yarns."),
    (VI, "C28", "chungnam", 12000, False, "High speed inspection of cable connectors on a conveyor, hundreds per minute."),
    (VI, "C29", "daegu", 8000, True, "Check part dimensions and tolerances automatically instead of manual gauges."),
    (VI, "C10", "chungnam", 3000, False, "Find foreign objects and damaged packs in our food packaging line with machine vision."),
    # predictive maintenance
    (PM, "C29", "gyeongnam", 15000, True, "기계부품 협동조합입니다. 회원사 공작기계가 갑자기 멈춰 납기를 놓칩니다. 고장을 미리 알고 싶습니다."),
    (PM, "C25", "busan", 6000, False, "프레스 설비 베어링 고장으로 라인이 자주 섭니다. 진동 센서로 예지보전을 하고 싶습니다."),
    (PM, "C24", "gyeongbuk", 12000, True, "주조 공장 설비의 고장 징후를 미리 감지하고 정비 시점을 알고 싶습니다."),
    (PM, "C22", "incheon", 4000, False, "사출기 유압 펌프 고장을 예측해 돌발 정지를 줄이고 싶어요."),
    (PM, "C20", "ulsan", 9000, True, "화학 공장 펌프와 압축기의 잔여 수명을 예측하고 싶습니다."),
    (PM, "C34", "changwon", 5000, False, "산업용 기계 수리업체로 고객 설비 상태 진단 서비스를 만들고 싶습니다."),
    (PM, "C10", "chungbuk", 3000, False, "식품 공장 냉동기와 컨베이어 모터 고장을 미리 알 수 있는 방법이 필요합니다."),
    (PM, "S94", "gyeongnam", 20000, True, "조합 차원에서 여러 회원사 설비 데이터를 모아 공동으로 고장 예측 모델을 만들고 싶습니다."),
    (PM, "C29", "gyeongnam", 15000, True, "Machine-parts cooperative: member CNC machines break down without warning. Predict failures before they happen."),
    (PM, "C25", "daegu", 5000, False, "Vibration monitoring for our presses to schedule maintenance before bearings fail."),
    (PM, "C24", "pohang", 10000, True, "Steel mill rolling equipment: estimate remaining useful life of gearboxes."),
    (PM, "C20", "jeonnam", 8000, False, "Condition monitoring for pumps and compressors in a chemical plant."),
    (PM, "C29", "gyeonggi", 3000, False, "Cheap subscription to get alerts when our motors are about to fail."),
    (PM, "C22", "gyeonggi", 4000, False, "Injection moulding machines stop unexpectedly; we want failure prediction from sensor data."),
    (PM, "C34", "busan", 6000, False, "Repair shop wants to offer machine health monitoring to clients."),
    (PM, "C28", "chungbuk", 7000, True, "Predictive maintenance for winding machines in our transformer factory; no cloud allowed."),
    # process optimisation
    (PO, "C13", "daegu", 8000, False, "염색 공장입니다. 색이 한 번에 맞지 않아 재염색이 잦습니다. 최적 염색 레시피를 추천받고 싶습니다."),
    (PO, "C23", "chungbuk", 9000, True, "레미콘 공장의 배합비를 골재 상태에 따라 자동으로 조정하고 싶습니다."),
    (PO, "C23", "gangwon", 7000, False, "콘크리트 배합 설계를 최적화해 시멘트 사용량을 줄이고 강도 기준은 지키고 싶습니다."),
    (PO, "C22", "gyeonggi", 6000, True, "사출 성형 조건(온도, 압력, 시간)을 최적화해 불량과 사이클 타임을 줄이고 싶습니다."),
    (PO, "C10", "gyeonggi", 4000, False, "과자 배합을 바꿀 때마다 맛과 식감이 달라집니다. 원료 배합 최적화가 필요합니다."),
    (PO, "C25", "gyeongnam", 8000, True, "열처리 공정 파라미터 최적화로 경도 편차를 줄이고 싶습니다."),
    (PO, "C13", "gyeongbuk", 10000, True, "염색기 온도 곡선과 약품 투입을 최적화해 물과 에너지를 아끼고 싶습니다."),
    (PO, "C24", "chungnam", 9000, False, "도금 공정 조건을 최적화해 도금 두께 불량을 줄이고 싶어요."),
    (PO, "C13", "daegu", 8000, False, "Textile dyer: shades rarely match on the first try. Recommend dyeing recipes to avoid re-dyeing."),
    (PO, "C23", "gyeonggi", 9000, False, "Ready-mix concrete plant wants to automate mix proportions based on aggregate moisture."),
    (PO, "C23", "chungnam", 6000, False, "Optimise our concrete mix design to use less cement while meeting strength."),
    (PO, "C22", "incheon", 7000, False, "Tune injection moulding process parameters to reduce scrap."),
    (PO, "C10", "seoul", 3000, False, "Optimise recipe formulation of our sauces for cost and taste."),
    (PO, "C25", "ulsan", 9000, True, "Heat treatment furnace settings optimisation for consistent hardness."),
    (PO, "C13", "gyeonggi", 9000, True, "Closed-loop control of dyeing machines to hit colour targets first time."),
    (PO, "C20", "jeonnam", 10000, False, "Optimise reactor setpoints in our specialty chemical process."),
    # scheduling
    (SCH, "C25", "gyeonggi", 7000, False, "다품종 소량 생산이라 작업 순서 짜는 데 하루가 걸립니다. 생산 스케줄링을 자동화하고 싶습니다."),
    (SCH, "C30", "ulsan", 10000, True, "자동차 부품 라인의 생산 계획을 납기와 설비 능력에 맞춰 최적화하고 싶습니다."),
    (SCH, "C10", "chungbuk", 5000, False, "식품 공장의 배치 생산 순서와 교대 근무 계획을 최적화하고 싶습니다."),
    (SCH, "C23", "gyeonggi", 6000, False, "레미콘 차량 배차와 출하 일정을 현장 타설 시간에 맞춰 계획하고 싶습니다."),
    (SCH, "C29", "gyeongnam", 8000, False, "설비별 작업 배정과 납기 관리를 자동으로 하고 싶어요."),
    (SCH, "C22", "incheon", 5000, False, "금형 교체 시간을 줄이도록 사출기 생산 일정을 최적화하고 싶습니다."),
    (SCH, "C26", "gyeonggi", 9000, True, "PCB 조립 라인의 일정 계획을 자동화하고 셋업 시간을 줄이고 싶습니다."),
    (SCH, "C14", "seoul", 3000, False, "봉제 공장의 작업 일정과 인력 배치를 효율화하고 싶습니다."),
    (SCH, "C25", "daegu", 6000, False, "High-mix low-volume job shop: automate production scheduling that now takes a planner all day."),
    (SCH, "C30", "gyeongnam", 12000, True, "Production planning for an auto parts plant respecting due dates and machine capacity."),
    (SCH, "C10", "gyeonggi", 4000, False, "Batch sequencing with allergen changeovers and shift planning for a food plant."),
    (SCH, "C23", "chungbuk", 5000, False, "Dispatch planning for concrete trucks to meet site pour windows."),
    (SCH, "C29", "busan", 7000, False, "Assign jobs to machines and track due dates automatically."),
    (SCH, "C22", "gyeonggi", 5000, False, "Reduce mould changeover time with better injection machine scheduling."),
    (SCH, "C26", "chungnam", 9000, False, "Schedule SMT lines to cut setup time."),
    (SCH, "C11", "jeju", 3000, False, "Plan bottling line runs for our brewery week by week."),
    # quality prediction
    (QP, "C10", "jeonbuk", 4000, False, "식품 제조사입니다. 제품 유통기한을 실험 없이 예측하고 싶습니다."),
    (QP, "C10", "gyeonggi", 3000, False, "저장 온도와 포장 조건에 따라 소비기한이 얼마나 달라지는지 예측하고 싶습니다."),
    (QP, "C26", "gyeonggi", 20000, True, "반도체 공정 데이터로 계측 전에 품질을 예측하는 가상 계측이 필요합니다."),
    (QP, "C26", "chungnam", 15000, True, "반도체 외주 공정의 수율을 예측하고 불량 원인을 찾고 싶습니다."),
    (QP, "C23", "chungbuk", 5000, False, "레미콘 출하 전에 28일 압축강도를 예측하고 싶습니다."),
    (QP, "C25", "gyeongnam", 7000, True, "용접 전류 파형으로 용접 품질 불량을 예측하고 싶습니다."),
    (QP, "C30", "ulsan", 8000, True, "프레스 하중 데이터로 부품 품질을 예측해 불량률을 낮추고 싶습니다."),
    (QP, "C11", "jeju", 3000, False, "음료의 맛과 품질 변화를 저장 기간에 따라 예측하고 싶어요."),
    (QP, "C10", "jeonbuk", 4000, False, "Food maker: predict product shelf life without running months of storage tests."),
    (QP, "C10", "seoul", 2500, False, "How do storage temperature and packaging change the shelf-life of our sauces?"),
    (QP, "C26", "gyeonggi", 25000, True, "Virtual metrology: predict wafer quality from process sensor data before measurement."),
    (QP, "C26", "chungbuk", 18000, True, "Yield prediction and root cause analysis of yield loss for a semiconductor subcontractor."),
    (QP, "C23", "daejeon", 5000, False, "Predict 28-day compressive strength of ready-mix concrete before shipping."),
    (QP, "C25", "busan", 7000, True, "Predict weld quality from current and voltage waveforms."),
    (QP, "C30", "gyeongnam", 9000, False, "Predict the defect rate of pressed auto parts from press load data."),
    (QP, "C20", "ulsan", 10000, False, "Predict product quality of chemical batches from process data."),
    # anomaly detection
    (AD, "C20", "ulsan", 8000, True, "화학 공정 센서 데이터에서 평소와 다른 이상 패턴을 실시간으로 감지하고 싶습니다."),
    (AD, "C26", "gyeonggi", 10000, True, "반도체 장비 로그에서 이상 징후를 찾아 불량을 사전에 막고 싶습니다."),
    (AD, "C22", "incheon", 4000, False, "압출 라인 센서 값이 튀는 것을 자동으로 감지해 알람을 받고 싶어요."),
    (AD, "C28", "chungbuk", 5000, True, "PLC 신호의 이상을 라인 옆 엣지 장비에서 바로 탐지하고 싶습니다."),
    (AD, "C24", "gyeongbuk", 9000, False, "가열로 온도와 압력의 이상 변화를 조기에 감지하고 원인 변수를 알고 싶습니다."),
    (AD, "C10", "gyeonggi", 3000, False, "냉장 창고 온도 이상을 감지해 식품 변질을 막고 싶습니다."),
    (AD, "C29", "gyeongnam", 6000, False, "라벨이 없는 설비 데이터로 이상 탐지를 시작할 수 있을까요?"),
    (AD, "D35", "jeonnam", 8000, False, "발전 설비 센서의 이상 신호를 자동으로 탐지하고 싶습니다."),
    (AD, "C20", "ulsan", 8000, True, "Detect abnormal patterns in chemical process sensor data in real time."),
    (AD, "C26", "gyeonggi", 12000, True, "Find anomalies in semiconductor equipment logs before they cause defects."),
    (AD, "C22", "gyeonggi", 4000, False, "Alert us when extrusion line sensor values drift or spike."),
    (AD, "C28", "chungnam", 5000, True, "Outlier detection on PLC signals on an edge gateway next to the line."),
    (AD, "C24", "gyeongbuk", 9000, False, "Early detection of abnormal furnace temperature and pressure with explanations."),
    (AD, "C10", "busan", 3000, False, "Detect cold room temperature anomalies to prevent food spoilage."),
    (AD, "C29", "daegu", 6000, False, "Unsupervised anomaly detection on machine data without labels."),
    (AD, "D35", "gangwon", 8000, False, "Fault detection in power plant sensor streams."),
    # inventory
    (INV, "C10", "gyeonggi", 3000, False, "원재료 재고가 항상 남거나 부족합니다. 적정 재고와 발주 시점을 알고 싶습니다."),
    (INV, "C25", "daegu", 4000, False, "철강 원자재 안전 재고를 계산하고 자동 발주를 하고 싶습니다."),
    (INV, "C29", "gyeongnam", 5000, False, "설비 예비 부품 재고를 줄이면서 고장 시 부품이 없는 일은 막고 싶습니다."),
    (INV, "C30", "ulsan", 6000, False, "자동차 부품 완제품 재고 비용을 줄이고 싶습니다."),
    (INV, "G46", "seoul", 3000, False, "도매 유통업체로 품목별 재고 최적화가 필요합니다."),
    (INV, "C10", "chungnam", 2000, False, "포장재와 원료의 발주량을 최적화해 재고 비용을 줄이고 싶어요."),
    (INV, "C22", "incheon", 3000, False, "레진 원료 재고 관리를 자동화하고 싶습니다."),
    (INV, "C34", "busan", 3000, False, "수리용 부품 재고를 얼마나 갖고 있어야 할지 모르겠습니다."),
    (INV, "C10", "gyeonggi", 3000, False, "Raw material stock is always too high or too low. We need reorder points and order quantities."),
    (INV, "C25", "daegu", 4000, False, "Calculate safety stock for steel coils and automate replenishment."),
    (INV, "C29", "gyeongnam", 5000, False, "Optimise spare parts inventory for our maintenance team."),
    (INV, "C30", "chungnam", 6000, False, "Cut finished goods inventory cost for auto parts."),
    (INV, "G46", "gyeonggi", 3000, False, "Wholesale distributor needs inventory optimisation per SKU."),
    (INV, "C10", "seoul", 2000, False, "Optimise purchase orders for packaging and ingredients."),
    (INV, "C22", "incheon", 3000, False, "Automate resin inventory management."),
    (INV, "C34", "busan", 3000, False, "How many repair parts should we keep in stock?"),
    # energy
    (EN, "C23", "gangwon", 10000, True, "시멘트 소성로의 연료와 전력 사용량을 줄이고 싶습니다."),
    (EN, "C24", "gyeongbuk", 12000, False, "주조 공장 전기 요금이 너무 많이 나옵니다. 피크 전력을 관리하고 싶습니다."),
    (EN, "C13", "daegu", 6000, False, "염색 공장의 스팀과 가스 사용량을 예측하고 절감하고 싶습니다."),
    (EN, "C20", "ulsan", 9000, False, "화학 공장 공조와 컴프레서 운전을 최적화해 에너지 비용을 줄이고 싶습니다."),
    (EN, "C10", "gyeonggi", 4000, False, "식품 공장 냉동 설비의 전력 사용량을 줄이고 탄소 배출을 관리하고 싶어요."),
    (EN, "C22", "incheon", 5000, False, "사출기 전력 사용량을 분석하고 절감 방안을 찾고 싶습니다."),
    (EN, "C23", "jeonnam", 9000, True, "건조기와 가마의 에너지 효율을 높이고 싶습니다."),
    (EN, "C26", "chungbuk", 10000, False, "클린룸 공조 에너지를 절감하는 AI가 필요합니다."),
    (EN, "C23", "gangwon", 10000, True, "Reduce fuel and electricity use of our cement kiln."),
    (EN, "C24", "gyeongbuk", 12000, False, "Our foundry's electricity bill is huge; manage peak demand."),
    (EN, "C13", "daegu", 6000, False, "Forecast and cut steam and gas consumption in our dye house."),
    (EN, "C20", "ulsan", 9000, False, "Optimise HVAC and compressor operation to save energy in a chemical plant."),
    (EN, "C10", "gyeonggi", 4000, False, "Lower the power consumption of refrigeration in our food plant and track carbon."),
    (EN, "C22", "gyeonggi", 5000, False, "Analyse injection machine power use and find savings."),
    (EN, "C23", "chungbuk", 9000, True, "Improve the energy efficiency of our dryers and kilns."),
    (EN, "C26", "gyeonggi", 10000, False, "AI to save cleanroom HVAC energy."),
    # documents and language
    (DOC, "C25", "gyeonggi", 3000, False, "거래명세서와 성적서를 사람이 ERP에 입력하고 있습니다. 자동으로 읽어 입력하고 싶습니다."),
    (DOC, "C29", "gyeongnam", 4000, False, "도면에서 치수와 주기를 자동으로 인식하고 싶습니다."),
    (DOC, "C28", "seoul", 3000, False, "고객 문의에 매뉴얼 기반으로 답하는 챗봇을 만들고 싶습니다."),
    (DOC, "C21", "chungbuk", 10000, True, "제약 회사 품질 문서를 외부 유출 없이 검색하고 질의응답하는 생성형 AI가 필요합니다."),
    (DOC, "O84", "sejong", 8000, True, "지원기관 내부 보고서 초안을 자동으로 작성하는 LLM을 사내에 설치하고 싶습니다."),
    (DOC, "C30", "ulsan", 3000, False, "작업지시서와 검사 성적서를 OCR로 디지털화하고 싶어요."),
    (DOC, "C20", "ulsan", 6000, True, "작업표준서 질의응답 시스템을 사내 서버에 구축하고 싶습니다."),
    (DOC, "J62", "seoul", 2000, False, "영문 매뉴얼 번역과 고객 상담 챗봇이 필요합니다."),
    (DOC, "C25", "incheon", 3000, False, "Our staff type invoices and test certificates into the ERP by hand; read them automatically."),
    (DOC, "C29", "gyeongnam", 4000, False, "Recognise dimensions and notes from engineering drawings."),
    (DOC, "C28", "gyeonggi", 3000, False, "A chatbot that answers dealer questions from our manuals in Korean and English."),
    (DOC, "C21", "chungbuk", 10000, True, "Generative AI over our pharma quality documents, installed on-premises for confidentiality."),
    (DOC, "O84", "sejong", 8000, True, "An on-premises LLM to draft internal reports for a public agency."),
    (DOC, "C30", "ulsan", 3000, False, "Digitise work orders and inspection sheets with OCR."),
    (DOC, "C20", "jeonnam", 6000, True, "Question answering over standard operating procedures on our own servers."),
    (DOC, "J62", "seoul", 2000, False, "Manual translation and a customer support chatbot."),
]


def _split(qid: str) -> str:
    return "dev" if int(hashlib.sha256(qid.encode()).hexdigest(), 16) % 2 == 0 else "test"


def main() -> None:
    offerings = [json.loads(line) for line in (HERE / "matching_offerings.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    assert set(GOLD) == {o["id"] for o in offerings}
    regions = {"changwon": "gyeongnam", "pohang": "gyeongbuk"}  # city names written by users
    out = []
    for n, (ptype, industry, region, budget, onprem, text) in enumerate(Q, 1):
        qid = f"q{n:03d}"
        labels = {}
        for o in offerings:
            gold = GOLD[o["id"]]
            if onprem and o["deployment_modes"] == ["cloud"]:
                continue
            if ptype in gold:
                labels[o["id"]] = 3 if industry in o["industries"] else 2
            elif any(a in gold for a in ADJACENT[ptype]):
                labels[o["id"]] = 1
        lang = "ko" if any("\uac00" <= ch <= "\ud7a3" for ch in text) else "en"
        title, _, rest = text.partition(". ") if lang == "en" else text.partition("다. ")
        out.append({
            "id": qid, "split": _split(qid), "lang": lang, "gold_type": ptype,
            "problem": {
                "id": qid, "description": text, "industry": industry, "region": regions.get(region, region),
                "budget_max": budget * 10_000 if budget else None, "on_premises_required": onprem,
            },
            "relevance": labels,
        })
    with open(HERE / "matching_queries.jsonl", "w", encoding="utf-8") as fh:
        for row in out:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} queries ({sum(r['split'] == 'dev' for r in out)} dev)")


if __name__ == "__main__":
    main()
