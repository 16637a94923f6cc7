"""Redaction of personal data on Presidio, reversible per conversation (issue 4).

`Redactor` finds personal data and swaps in placeholders such as ``<PERSON_1>``;
`PlaceholderVault` keeps one conversation's mapping so replies can be restored for
that customer only; `seal_vault` / `open_vault` encrypt the mapping at rest.
"""

from guards.redaction.config import RedactionConfig
from guards.redaction.engine import RedactionSetupError
from guards.redaction.model import Entity, Redaction
from guards.redaction.redactor import Redactor
from guards.redaction.vault import PlaceholderVault, VaultError, open_vault, seal_vault

__all__ = [
    "Entity",
    "PlaceholderVault",
    "Redaction",
    "RedactionConfig",
    "RedactionSetupError",
    "Redactor",
    "VaultError",
    "open_vault",
    "seal_vault",
]
