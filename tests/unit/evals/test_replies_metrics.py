"""The reply evaluation's own measures: ROUGE-L and invented figures."""

from __future__ import annotations

from service.evals.replies import held_out_requests, invented_figures, rouge_l

GROUNDING = "+1 555 0100 support@acme-outfitters.example within 30 days"


def test_rouge_l_is_one_for_the_same_words_and_zero_for_none_shared() -> None:
    assert rouge_l("Your order ships today", "your order ships today.") == 1.0
    assert rouge_l("hello there", "goodbye now") == 0.0


def test_a_phone_number_nobody_gave_is_invented() -> None:
    assert invented_figures("Call us at 1-800-519-6626.", GROUNDING) == ["1-800-519-6626"]


def test_grounded_figures_and_step_numbers_are_not_invented() -> None:
    reply = "1. Call +1 555 0100.\n2. Return it within 30 days."
    assert invented_figures(reply, GROUNDING) == []


def test_an_amount_the_customer_gave_in_words_is_not_invented() -> None:
    grounding = GROUNDING + " I'm waiting for a refund of 1200 dollars"
    assert invented_figures("I understand your refund of $1200 is late.", grounding) == []
    assert invented_figures("Your refund of $1300 is late.", grounding) == ["$1300"]


def test_skipped_held_out_pairs_are_not_the_ones_reported_first() -> None:
    first = held_out_requests(2)
    later = held_out_requests(2, skip=2)
    assert len(first) == len(later) == 2 * 27
    assert not {r.text for r in first} & {r.text for r in later}
    assert {r.text for r in held_out_requests(4)} == {r.text for r in first + later}
