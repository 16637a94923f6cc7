"""Choose the handoff model's threshold out of fold.

Five stratified folds over the model's own training examples (the written files and the Bitext
negatives): each fold is scored by a model fitted on the other four, exactly as
`HandoffModel.score` scores a whole message. Prints, per candidate threshold, the share of
serious examples caught and of ordinary ones flagged, so the threshold in
`graphs/routing/handoff_policy.yaml` is set on texts the model was not fitted to.

    nice -n 10 .venv/bin/python bench/handoff_threshold.py
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import StratifiedKFold

from graphs.routing.handoff_model import NO_FAMILY, HandoffModel, load_examples, model_text
from guards.embeddings import shared_encoder

THRESHOLDS = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def out_of_fold_scores(
    texts: list[str], vectors: np.ndarray, families: np.ndarray, folds: int = 5
) -> np.ndarray:
    """Each example's score from a model fitted without its fold."""
    scores = np.zeros(len(families))
    splitter = StratifiedKFold(folds, shuffle=True, random_state=0)
    for train, held_out in splitter.split(vectors, families):
        fitted = HandoffModel.fit([texts[i] for i in train], vectors[train], list(families[train]))
        model = HandoffModel(shared_encoder(), fitted)
        probabilities = model.probabilities([texts[i] for i in held_out], vectors[held_out])
        scores[held_out] = np.clip(model.vector_scores(vectors[held_out], probabilities), 0, 1)
    return scores


def main() -> None:
    """Print recall and false-flag rate per threshold."""
    examples = load_examples()
    texts = [model_text(text) for text in examples.texts]
    vectors = shared_encoder().encode(texts)
    families = np.asarray(examples.families)
    serious = families != NO_FAMILY
    scores = out_of_fold_scores(texts, vectors, families)
    print(f"{serious.sum()} serious, {(~serious).sum()} ordinary examples, 5 folds")
    for threshold in THRESHOLDS:
        caught, flagged = (
            (scores[serious] >= threshold).mean(),
            (scores[~serious] >= threshold).mean(),
        )
        print(f"threshold {threshold:.2f}: recall {caught:.3f}, ordinary flagged {flagged:.3f}")


if __name__ == "__main__":
    main()
