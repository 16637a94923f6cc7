"""Shared fixtures for the triage tests: the intent classifier is trained once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphs.routing import HandoffPolicy, IntentClassifier, IntentPrediction, Triage

REPO_ROOT = Path(__file__).resolve().parents[3]
EVAL_DATA = REPO_ROOT / "data" / "eval"


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def intent_classifier(models_dir: Path) -> IntentClassifier:
    """Trained on the shipped Bitext sample into a fresh cache directory."""
    return IntentClassifier.load(models_dir)


@pytest.fixture(scope="session")
def handoff_policy() -> HandoffPolicy:
    return HandoffPolicy.from_yaml()


@pytest.fixture(scope="session")
def triage(intent_classifier: IntentClassifier, handoff_policy: HandoffPolicy) -> Triage:
    return Triage(intent_classifier, handoff_policy)


def prediction(
    intent: str = "track_order", confidence: float = 0.9, category: str = "ORDER"
) -> IntentPrediction:
    """A made-up classifier output, for policy tests that need no model."""
    return IntentPrediction(intent=intent, category=category, confidence=confidence)
