"""Building the gateway's components from `Settings`: done once, at start-up."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from graphs.prompts import PromptBook
from graphs.routing import Triage
from graphs.services import ChatModel, ChatServices
from guards.company_profile import CompanyProfile
from guards.input_checks import InputScreen
from guards.output_check import OutputCheck
from guards.redaction import Redactor
from service.config import Settings
from service.storage.audit import AuditLog
from service.storage.conversations import ConversationStore
from service.storage.handoffs import HandoffQueue


@dataclass
class Gateway:
    """Everything the request handlers use, built once per process."""

    settings: Settings
    engine: AsyncEngine
    conversations: ConversationStore
    handoffs: HandoffQueue
    services: ChatServices
    runner: object  # service.turns.TurnRunner (kept loose to avoid an import cycle)
    audit: AuditLog
    limits: Any  # service.gateway.limits_deps.RateLimits


def canary_for(secret_key: str) -> str:
    """A marker planted in the system prompt; seeing it in a reply means the prompt leaked."""
    digest = hmac.new(secret_key.encode(), b"system-prompt-canary", hashlib.sha256).hexdigest()
    return f"GC-CANARY-{digest[:12]}"


def build_services(settings: Settings, model: ChatModel, handoffs: HandoffQueue) -> ChatServices:
    """The guards, triage and prompts (the slow part of start-up: models load here)."""
    redactor = Redactor()
    profile = CompanyProfile.from_yaml(settings.company_profile)
    canary = canary_for(settings.secret_key.get_secret_value())
    cache = settings.model_cache_dir or settings.var_dir / "models"
    return ChatServices(
        redactor=redactor,
        input_screen=InputScreen(max_chars=settings.max_message_chars, cache_dir=cache),
        triage=Triage.load(cache),
        model=model,
        output_check=OutputCheck(redactor, profile, canary),
        handoffs=handoffs,
        prompts=PromptBook(profile=profile, canary=canary),
        guard_timeout_s=settings.guard_timeout_s,
        max_new_tokens=settings.max_new_tokens,
        trace_content=settings.trace_content,
    )
