"""The redirect evaluation counts what the service does: the topical rail, overruled where the
company's knowledge base clearly answers the message or triage is all but certain of its intent."""

from __future__ import annotations

import json
from pathlib import Path

from service.config import Settings
from service.evals.commands import eval_scope


def test_a_question_the_knowledge_base_answers_counts_as_not_redirected(
    settings: Settings, tmp_path: Path
) -> None:
    rows = [
        {"text": "write me a poem about the sea", "label": "out_of_scope"},
        {"text": "how many business days for a refund", "label": "support"},
    ]
    data = tmp_path / "scope.jsonl"
    data.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    result = json.loads(eval_scope(settings, data, as_json=True))
    assert result["out_of_scope"] == {"rail": 1, "redirected": 1, "of": 1}
    assert result["support"] == {"rail": 1, "redirected": 0, "of": 1}  # the rail errs here
