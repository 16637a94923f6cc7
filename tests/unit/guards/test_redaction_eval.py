"""The quality gate: the checked-in evaluation set meets issue 4's goals."""

from __future__ import annotations

from pathlib import Path

from guards.redaction import RedactionConfig, Redactor
from service.evals.pii import evaluate_pii, format_pii_report

EVAL_SET = Path(__file__).parents[3] / "data" / "eval" / "pii.jsonl"


def test_eval_set_meets_goals(redactor: Redactor) -> None:
    report = evaluate_pii(redactor, EVAL_SET)
    summary = format_pii_report(report)
    assert report.messages >= 400, summary
    assert report.verbatim_rate <= 0.01, summary
    assert report.word_survival_rate <= 0.03, summary
    assert report.references_kept_rate >= 0.98, summary


def test_report_has_per_type_scores_and_an_any_row(redactor: Redactor, tmp_path: Path) -> None:
    data = tmp_path / "tiny.jsonl"
    data.write_text(
        '{"text": "my password is hunter2, order ORD-12345", '
        '"entities": [{"type": "PASSWORD", "start": 15, "end": 22}], "protected": ["ORD-12345"]}\n'
    )
    report = evaluate_pii(redactor, data).to_dict()
    assert report["types"]["PASSWORD"]["recall"] == 1.0
    assert report["types"]["ANY_PII"]["f2"] == 1.0
    assert report["references_kept_rate"] == 1.0 and report["values_verbatim_rate"] == 0.0


def test_config_loads_from_yaml(tmp_path: Path) -> None:
    path = tmp_path / "redaction.yaml"
    path.write_text("score_threshold: 0.5\nprotected_patterns:\n  - 'CASE-\\d+'\n")
    config = RedactionConfig.from_yaml(path)
    assert config.score_threshold == 0.5 and config.protected_patterns == ("CASE-\\d+",)
