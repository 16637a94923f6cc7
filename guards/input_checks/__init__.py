"""The input guard: screens each customer turn for injection, size, garbage and abuse.

`InputScreen.check` is the guard.
"""

from guards.input_checks.screen import CUSTOMER_MESSAGES, InputGuardConfig, InputScreen

__all__ = ["CUSTOMER_MESSAGES", "InputGuardConfig", "InputScreen"]
