"""The shared MiniLM encoder: exported once to ONNX, the same vectors as the reference model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from transformers import AutoModel, AutoTokenizer

from guards.embeddings import SentenceEncoder, bundled_model_dir, shared_encoder

TEXTS = [
    "hi",
    "Where is my order 12345?",
    "I want a refund because the parcel arrived damaged and nobody answers my emails.",
    "refund " * 300,  # longer than the token limit: cut like the reference tokenizer cuts
]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def encoder(cache_dir: Path) -> SentenceEncoder:
    return SentenceEncoder.load(cache_dir)


def reference_embeddings(texts: list[str]) -> np.ndarray:
    """sentence-transformers' recipe in plain transformers: mean pooling, L2 normalisation."""
    folder = str(bundled_model_dir())
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    model = AutoModel.from_pretrained(folder, local_files_only=True).eval()
    tokens = tokenizer(texts, padding=True, truncation=True, max_length=128, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**tokens).last_hidden_state
    mask = tokens["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1)
    return torch.nn.functional.normalize(pooled, dim=1).numpy()


def test_vectors_match_the_reference_model(encoder: SentenceEncoder) -> None:
    cosines = (encoder.encode(TEXTS) * reference_embeddings(TEXTS)).sum(axis=1)
    assert cosines.min() > 0.9999


def test_a_text_gets_the_same_vector_alone_or_in_a_padded_batch(cache_dir: Path) -> None:
    fresh = SentenceEncoder.load(cache_dir)  # nothing remembered yet
    batch = fresh.encode(TEXTS)
    alone = SentenceEncoder.load(cache_dir).encode([TEXTS[1]])
    assert float(alone[0] @ batch[1]) > 0.9999
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)


def test_the_export_is_made_once_and_reused(cache_dir: Path, encoder: SentenceEncoder) -> None:
    (exported,) = cache_dir.glob("minilm-*.onnx")
    made = exported.stat().st_mtime_ns
    SentenceEncoder.load(cache_dir)
    assert exported.stat().st_mtime_ns == made
    assert not [p for p in cache_dir.iterdir() if p != exported]  # no scratch files left


def test_paraphrases_are_closer_than_unrelated_requests(encoder: SentenceEncoder) -> None:
    where, paraphrase, unrelated = encoder.encode(
        ["Where is my parcel?", "My package hasn't arrived yet", "How do I change my password?"]
    )
    assert where @ paraphrase > where @ unrelated + 0.1


def test_no_texts_give_an_empty_matrix(encoder: SentenceEncoder) -> None:
    assert encoder.encode([]).shape == (0, 384)


def test_more_texts_than_it_remembers_are_all_encoded(
    encoder: SentenceEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("guards.embeddings.REMEMBERED_TEXTS", 3)
    texts = [f"order {n} has not arrived" for n in range(10)]
    vectors = encoder.encode(texts)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[7], encoder.encode([texts[7]])[0], atol=1e-5)


def test_one_folder_written_two_ways_shares_one_encoder(cache_dir: Path) -> None:
    assert shared_encoder(cache_dir) is shared_encoder(cache_dir / ".." / cache_dir.name)
