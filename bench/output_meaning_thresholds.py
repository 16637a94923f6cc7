"""Choose the output meaning model's per-label thresholds out of fold.

Five stratified folds over the model's training sentences (the written files and the Bitext
fine sentences): each fold is scored by a model fitted on the other four. For each label
(insult, advice, promise) prints the share of its sentences caught, and of fine sentences
flagged, at each candidate threshold, so `THRESHOLDS` in `guards/output_check/meaning.py`
is set on sentences the model was not fitted to.

    nice -n 10 .venv/bin/python bench/output_meaning_thresholds.py
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import StratifiedKFold

from guards.embeddings import shared_encoder
from guards.output_check.meaning import (
    MAX_TOKENS,
    THRESHOLDS,
    MeaningClassifier,
    fit,
    training_examples,
)

CANDIDATES = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def out_of_fold_scores(
    texts: list[str], embeddings: np.ndarray, labels: np.ndarray
) -> dict[str, np.ndarray]:
    """Per label, each sentence's score from a model fitted without its fold."""
    scores = {label: np.zeros(len(labels)) for label in THRESHOLDS}
    splitter = StratifiedKFold(5, shuffle=True, random_state=0)
    for train, held_out in splitter.split(embeddings, labels):
        fitted = fit([texts[i] for i in train], embeddings[train], list(labels[train]))
        model = MeaningClassifier(fitted, shared_encoder())
        found = model.embedding_scores([texts[i] for i in held_out], embeddings[held_out])
        for row, found_row in zip(held_out, found, strict=True):
            for label, score in found_row.items():
                scores[label][row] = score
    return scores


def main() -> None:
    """Print, per label and threshold, the share caught and the share of fine ones flagged."""
    texts, label_list = training_examples()
    labels = np.asarray(label_list)
    embeddings = shared_encoder().encode(texts, max_tokens=MAX_TOKENS)
    scores = out_of_fold_scores(texts, embeddings, labels)
    fine = labels == "ok"
    for label, column in scores.items():
        mine = labels == label
        for threshold in CANDIDATES:
            caught, flagged = (column[mine] >= threshold).mean(), (column[fine] >= threshold).mean()
            print(f"{label:8} {threshold:.1f}: caught {caught:.3f}, fine flagged {flagged:.4f}")


if __name__ == "__main__":
    main()
