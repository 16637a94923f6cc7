"""The output guard: checks every reply (or streamed sentence) before the customer sees it.

`OutputCheck.review` is the full check, `SentenceStream` cuts a streamed reply into
sentences to review one by one, `guard_output_record` is the `guardchat guard output` filter.
"""

from guards.output_check.records import guard_output_record
from guards.output_check.review import SAFE_FALLBACK_REPLY, OutputCheck, OutputReview
from guards.output_check.sentences import SentenceStream, split_sentences

__all__ = [
    "SAFE_FALLBACK_REPLY",
    "OutputCheck",
    "OutputReview",
    "SentenceStream",
    "guard_output_record",
    "split_sentences",
]
