"""``cxotutor score``: single answers, JSON, batch JSONL, and user errors."""

from __future__ import annotations

import json
import time

import pytest
import typer
from typer.testing import CliRunner

from cxotutor.cli import score as score_cli

DECK = """\
id: tiny
version: 1
title: {ja: タイニー, en: Tiny}
role: cto
languages: [ja, en]
cards:
  - id: micro
    question:
      ja: マイクロサービスの課題は？
      en: What are the challenges of microservices?
    key_points:
      - id: dt
        ja: 分散トランザクション管理
        en: managing distributed transactions
        aliases: [分散トランザクション, Saga, 2PC]
      - id: obs
        ja: 可観測性の確保
        en: ensuring observability
        aliases: [オブザーバビリティ, observability]
    answer:
      ja: 分散トランザクション管理と可観測性の確保が課題です。
      en: Managing distributed transactions and ensuring observability.
  - id: ea
    question:
      ja: EAとは？
      en: What is EA?
    key_points:
      - id: ea
        ja: エンタープライズアーキテクチャ
        en: enterprise architecture
        aliases: [EA]
      - id: kpi
        ja: KPIの設定
        en: setting KPIs
        aliases: [KPI]
    answer:
      ja: エンタープライズアーキテクチャ（EA）ではKPIの設定も行います。
      en: Enterprise architecture (EA) also means setting KPIs.
"""


@pytest.fixture
def app():
    app = typer.Typer(pretty_exceptions_enable=False, add_completion=False)

    @app.callback()
    def root() -> None:
        """Test root."""

    score_cli.register(app)
    return app


@pytest.fixture
def deck(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(DECK, encoding="utf-8")
    return str(path)


def run(app, *args, input=None):
    return CliRunner().invoke(app, ["score", *args], input=input, catch_exceptions=False)


def test_json_output_has_the_documented_shape(app, deck):
    result = run(app, "--deck", deck, "--card", "micro", "--answer", "Sagaを使います", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"score", "rating", "points"}
    assert data["score"] == 50 and data["rating"] == 2
    assert data["points"][0] == {
        "id": "dt", "status": "hit", "score": 100, "evidence": {"start": 0, "end": 4, "text": "Saga"},
    }
    assert data["points"][1]["evidence"] is None


def test_human_output_is_a_table_with_evidence(app, deck):
    result = run(app, "--deck", deck, "--card", "micro", "--answer", "分散トランザクションの管理が難しい")
    assert result.exit_code == 0
    out = result.stdout
    assert "分散トランザクション管理" in out and "hit" in out and "miss" in out
    assert "分散トランザクションの管理" in out
    assert "Score 50/100" in out and "Hard" in out


def test_lang_chooses_the_labels(app, deck):
    result = run(app, "--deck", deck, "--card", "micro", "--answer", "Saga", "--lang", "en")
    assert "managing distributed transactions" in result.stdout
    assert "What are the challenges" in result.stdout


def test_answer_from_file_and_stdin(app, deck, tmp_path):
    file = tmp_path / "answer.txt"
    file.write_text("可観測性の確保", encoding="utf-8")
    from_file = run(app, "--deck", deck, "--card", "micro", "--answer-file", str(file), "--json")
    from_stdin = run(app, "--deck", deck, "--card", "micro", "--json", input="可観測性の確保")
    assert json.loads(from_file.stdout) == json.loads(from_stdin.stdout)
    assert json.loads(from_file.stdout)["points"][1]["status"] == "hit"


def test_empty_answer_scores_zero(app, deck):
    data = json.loads(run(app, "--deck", deck, "--card", "micro", "--answer", "  ", "--json").stdout)
    assert data["score"] == 0 and data["rating"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--card", "nope", "--answer", "x"], "no card 'nope'"),
        (["--answer", "x"], "--card"),
        (["--card", "micro", "--answer", "x", "--answer-file", "f"], "either --answer or --answer-file"),
        (["--card", "micro", "--answer", "x", "--lang", "fr"], "--lang"),
        (["--card", "micro", "--answer-file", "/no/such/file"], "/no/such/file"),
        (["--card", "micro", "--batch", "x.jsonl"], "--batch"),
        (["--card", "micro", "--answer", "x", "--out", "o.jsonl"], "--out"),
    ],
)
def test_user_errors_are_one_line_and_exit_1(app, deck, args, message):
    result = run(app, "--deck", deck, *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_deck_is_a_user_error(app):
    result = run(app, "--deck", "no-such-deck-anywhere", "--card", "x", "--answer", "y")
    assert result.exit_code == 1 and "no-such-deck-anywhere" in result.stderr
    assert "Traceback" not in result.output


def test_answer_file_that_is_not_utf8(app, deck, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    result = run(app, "--deck", deck, "--card", "micro", "--answer-file", str(bad))
    assert result.exit_code == 1 and "not UTF-8" in result.stderr


# --- batch ---------------------------------------------------------------------------


def test_batch_scores_every_line_and_echoes_fields(app, deck, tmp_path):
    source = tmp_path / "in.jsonl"
    out = tmp_path / "out.jsonl"
    lines = [
        {"card": "micro", "answer": "Saga と observability", "learner": "aki", "grade": 4},
        {"card": "ea", "answer": "IDEAが大事", "n": 2},
        {"card": "ea", "answer": "EAとKPI"},
    ]
    source.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    result = run(app, "--deck", deck, "--batch", str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["card"] for r in rows] == ["micro", "ea", "ea"]
    assert rows[0]["learner"] == "aki" and rows[0]["grade"] == 4 and rows[0]["score"] == 100
    assert "answer" not in rows[0]
    assert rows[1]["n"] == 2 and rows[1]["score"] == 0  # EA is not inside IDEA
    assert rows[2]["score"] == 100 and rows[2]["rating"] == 4
    assert set(rows[2]) == {"card", "score", "rating", "points"}


def test_batch_reports_bad_lines_with_numbers_and_goes_on(app, deck, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        b'{"card": "micro", "answer": "Saga"}\n'
        b"not json\n"
        b"\n"
        b'{"card": "nope", "answer": "x"}\n'
        b'["a list"]\n'
        b'{"card": "micro"}\n'
        b'{"card": "micro", "answer": "\xff"}\n'
        b'{"card": "micro", "answer": "observability"}\n'
    )
    result = run(app, "--deck", deck, "--batch", str(source))
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["points"][0]["status"] for r in rows] == ["hit", "miss"]
    errors = result.stderr.splitlines()
    for number in (2, 4, 5, 6, 7):
        assert any(line.startswith(f"{source}:{number}: ") for line in errors), (number, errors)
    assert not any(line.startswith(f"{source}:3:") for line in errors)  # blank lines are skipped
    assert "5 bad line(s)" in result.stderr
    assert "Traceback" not in result.output


def test_batch_from_stdin(app, deck):
    result = run(app, "--deck", deck, "--batch", "-", input='{"card": "micro", "answer": "2PC"}\n')
    assert result.exit_code == 0
    assert json.loads(result.stdout)["points"][0]["evidence"]["text"] == "2PC"


def test_batch_is_fast(app, deck, tmp_path):
    source = tmp_path / "many.jsonl"
    answers = ["分散トランザクションの管理と可観測性", "Saga and observability", "KPIとEAの話", "", "関係ない話"]
    lines = [json.dumps({"card": "micro" if i % 5 < 2 else "ea", "answer": answers[i % 5] * 3}, ensure_ascii=False)
             for i in range(3000)]
    source.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "many.out.jsonl"
    start = time.perf_counter()
    result = run(app, "--deck", deck, "--batch", str(source), "--out", str(out))
    elapsed = time.perf_counter() - start
    assert result.exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3000
    assert elapsed < 3.0  # "thousands of answers per second", with room for slow CI


def test_registered_on_the_main_app():
    from cxotutor.cli import app as main_app

    result = CliRunner().invoke(main_app, ["score", "--help"])
    assert result.exit_code == 0 and "--batch" in result.stdout
