"""The output guard: checks every reply (or streamed sentence) before the customer sees it.

`OutputCheck.review` is the full check, `SentenceStream` cuts a streamed reply into
sentences to review one by one.
"""

from guards.output_check.review import SAFE_FALLBACK_REPLY, OutputCheck, OutputReview
from guards.output_check.sentences import SentenceStream, split_sentences

__all__ = [
    "SAFE_FALLBACK_REPLY",
    "OutputCheck",
    "OutputReview",
    "SentenceStream",
    "split_sentences",
]
