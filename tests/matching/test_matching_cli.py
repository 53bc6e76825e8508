import json

from click.testing import CliRunner

from matching.cli import rank_command


def _write(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return str(path)


def test_rank_writes_one_line_per_query(tmp_path):
    p = _write(tmp_path / "p.jsonl", [{"id": "p1", "title": "빵 수요 예측", "colour": "ignored"},
                                      {"id": 2, "description": "vision defect inspection"}])
    o = _write(tmp_path / "o.jsonl", [{"id": "o1", "title": "Bakery demand forecasting"},
                                      {"id": "o2", "description": "머신비전 불량 검사"}])
    res = CliRunner().invoke(rank_command, ["--problems", p, "--offerings", o, "--top", "1"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert [l["problem_id"] for l in lines] == ["p1", 2]
    assert [l["matches"][0]["offering_id"] for l in lines] == ["o1", "o2"]
    m = lines[0]["matches"][0]
    assert set(m) >= {"offering_id", "score", "contributions", "reasons"}
    assert m["score"] == round(sum(m["contributions"].values()), 6) or abs(m["score"] - sum(m["contributions"].values())) < 1e-5

    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(rank_command, ["--problems", p, "--offerings", o, "--direction", "problems",
                                            "--output", str(out)])
    assert res.exit_code == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["offering_id"] for r in rows] == ["o1", "o2"] and rows[0]["matches"][0]["problem_id"] == "p1"


def test_bad_lines_fail_with_line_number(tmp_path):
    o = _write(tmp_path / "o.jsonl", [{"id": "o1", "title": "x"}])
    for rows, needle in [
        ([{"id": "a", "title": "ok"}, "{not json"], ":2: invalid JSON"),
        ([{"id": "a", "title": "ok"}, "", {"id": "b"}], ":3: problem 'b' needs a title or a description"),
        ([{"title": "no id"}], ":1: missing required field 'id'"),
        ([{"id": "a", "title": "x"}, {"id": "a", "title": "y"}], ":2: duplicate id 'a'"),
        (["[1, 2]"], ":1: expected a JSON object"),
        ([{"id": "a", "title": "x", "budget_max": -5}], ":1: budget_max must not be negative"),
    ]:
        p = _write(tmp_path / "p.jsonl", rows)
        res = CliRunner().invoke(rank_command, ["--problems", p, "--offerings", o])
        assert res.exit_code == 1 and needle in res.output, (needle, res.output)
