"""Quality gates of issue 6: intent accuracy and handoff rates."""

from __future__ import annotations

from graphs.routing import IntentClassifier, Triage
from graphs.routing.dataset import load_bitext_sample
from service.evals.routing import (
    cross_validate_intents,
    evaluate_routing,
    format_routing_report,
)

from .conftest import EVAL_DATA


def test_intent_accuracy_on_cross_validation_meets_goal(
    intent_classifier: IntentClassifier,
) -> None:
    examples = load_bitext_sample()
    result = cross_validate_intents(examples, intent_classifier.encoder, with_baseline=False)
    assert result.accuracy >= 0.98  # plain TF-IDF + logistic regression: about 0.97
    assert result.expected_calibration_error < 0.06


def test_handoff_rates_meet_goals_on_eval_set(triage: Triage) -> None:
    report = evaluate_routing(
        triage, EVAL_DATA / "routing.jsonl", [EVAL_DATA / "intents_extra.jsonl"]
    )
    summary = format_routing_report(report)
    assert report.conversations >= 200, summary
    assert report.handoff_recall >= 0.95, summary
    assert report.false_handoff_rate <= 0.05, summary


def test_intent_accuracy_on_own_out_of_sample_phrasings(triage: Triage) -> None:
    report = evaluate_routing(
        triage, EVAL_DATA / "routing.jsonl", [EVAL_DATA / "intents_extra.jsonl"]
    )
    (extra,) = report.intent_scores
    assert extra.examples >= 150
    assert extra.accuracy >= 0.8 and extra.category_accuracy >= 0.9
    assert report.to_dict()["intent_scores"][0]["examples"] == extra.examples
