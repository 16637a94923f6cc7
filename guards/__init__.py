"""Guards: redaction of personal data, input screening and output checks.

Every guard follows one contract (see `guards.verdict`): text in, a `Verdict` out.
"""
