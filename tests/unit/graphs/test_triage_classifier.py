"""The intent classifier: labels, caching, determinism and speed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graphs.routing import IntentClassifier
from graphs.routing.dataset import load_bitext_sample


def test_predicts_bitext_intent_and_category(intent_classifier: IntentClassifier) -> None:
    prediction = intent_classifier.predict("I need to cancel order {{Order Number}}")
    assert (prediction.intent, prediction.category) == ("cancel_order", "ORDER")
    assert 0.5 < prediction.confidence <= 1.0


def test_knows_all_27_bitext_intents(intent_classifier: IntentClassifier) -> None:
    assert len(intent_classifier.intents) == 27


def test_is_robust_to_typos_and_terse_text(intent_classifier: IntentClassifier) -> None:
    texts = ["cancle my ordr", "where is my order??", "forgot pasword", "refund??"]
    predictions = intent_classifier.predict_many(texts)
    assert [p.intent for p in predictions[:3]] == [
        "cancel_order",
        "track_order",
        "recover_password",
    ]
    assert predictions[3].category == "REFUND"  # get_refund or track_refund: terse is ambiguous


def test_predict_many_matches_predict(intent_classifier: IntentClassifier) -> None:
    texts = ["where is my order", "I want a refund", ""]
    assert intent_classifier.predict_many(texts) == [intent_classifier.predict(t) for t in texts]
    assert intent_classifier.predict_many([]) == []


def test_second_load_reads_the_cache_quickly(
    intent_classifier: IntentClassifier, models_dir: Path
) -> None:
    assert len(list(models_dir.glob("intents-*.joblib"))) == 1
    started = time.perf_counter()
    reloaded = IntentClassifier.load(models_dir)
    assert time.perf_counter() - started < 2.0
    text = "how do I change my shipping address"
    assert reloaded.predict(text) == intent_classifier.predict(text)


def test_training_is_deterministic(intent_classifier: IntentClassifier) -> None:
    examples = load_bitext_sample()[::6]
    texts = ["I want to close my account", "payment options?", "talk to someone"]
    first = IntentClassifier.train(examples, intent_classifier.encoder).predict_many(texts)
    second = IntentClassifier.train(examples, intent_classifier.encoder).predict_many(texts)
    assert first == second


def test_a_message_takes_a_few_milliseconds(intent_classifier: IntentClassifier) -> None:
    intent_classifier.predict("warm up")
    started = time.perf_counter()
    for _ in range(20):
        intent_classifier.predict("hi, I would like to know where my order is please")
    assert (time.perf_counter() - started) / 20 < 0.05  # generous: the test hosts are shared


def test_earlier_turns_are_not_classified_again(
    intent_classifier: IntentClassifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = ["where is my parcel", "it was due on monday"]
    first = intent_classifier.predict_many([*history, "can I cancel it"])
    classified: list[str] = []
    original = intent_classifier._classify
    monkeypatch.setattr(
        intent_classifier, "_classify", lambda texts: classified.extend(texts) or original(texts)
    )
    again = intent_classifier.predict_many([*history, "can I cancel it", "and get a refund"])
    assert classified == ["and get a refund"]
    assert again[:3] == first
