"""Quality gates of issue 6: intent accuracy and handoff rates."""

from __future__ import annotations

import pytest

from graphs.routing import IntentClassifier, Triage
from graphs.routing.dataset import load_bitext_sample
from service.evals.routing import (
    RoutingReport,
    cross_validate_intents,
    evaluate_routing,
    format_routing_report,
)

from .conftest import EVAL_DATA


@pytest.fixture(scope="module")
def routing_report(triage: Triage) -> RoutingReport:
    return evaluate_routing(
        triage, EVAL_DATA / "routing.jsonl", [EVAL_DATA / "intents_extra.jsonl"]
    )


def test_intent_accuracy_on_cross_validation_meets_goal(
    intent_classifier: IntentClassifier,
) -> None:
    examples = load_bitext_sample()
    result = cross_validate_intents(examples, intent_classifier.encoder, with_baseline=False)
    assert result.accuracy >= 0.98  # plain TF-IDF + logistic regression: about 0.97
    assert result.expected_calibration_error < 0.06


def test_handoff_rates_meet_goals_on_eval_set(routing_report: RoutingReport) -> None:
    summary = format_routing_report(routing_report)
    assert routing_report.conversations >= 200, summary
    assert routing_report.handoff_recall >= 0.95, summary
    assert routing_report.false_handoff_rate <= 0.05, summary


def test_intent_accuracy_on_own_out_of_sample_phrasings(routing_report: RoutingReport) -> None:
    (extra,) = routing_report.intent_scores
    assert extra.examples >= 150
    assert extra.accuracy >= 0.8 and extra.category_accuracy >= 0.9
    assert routing_report.to_dict()["intent_scores"][0]["examples"] == extra.examples
