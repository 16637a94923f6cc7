"""Building the gateway's components from `Settings`: done once, at start-up."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from graphs import ChatModel, ChatServices, PromptBook
from graphs.routing import Triage
from guards.company_profile import CompanyProfile
from guards.embeddings import shared_encoder
from guards.input_checks import InputScreen
from guards.knowledge import KnowledgeBase, read_entries
from guards.output_check import OutputCheck
from guards.redaction import Redactor
from guards.scope_check import ScopeCheck
from service.config import Settings
from service.gateway.rate_limit import RateLimits
from service.metrics import PrometheusTurnMetrics
from service.security import ConversationTokens
from service.storage.audit import AuditLog
from service.storage.conversations import ConversationStore
from service.storage.handoffs import HandoffQueue
from service.turns import TurnRunner


@dataclass
class Gateway:
    """Everything the request handlers use, built once per process."""

    settings: Settings
    engine: AsyncEngine
    conversations: ConversationStore
    handoffs: HandoffQueue
    services: ChatServices
    runner: TurnRunner
    audit: AuditLog
    limits: RateLimits
    tokens: ConversationTokens


def canary_for(secret_key: str) -> str:
    """A marker planted in the system prompt; seeing it in a reply means the prompt leaked."""
    digest = hmac.new(secret_key.encode(), b"system-prompt-canary", hashlib.sha256).hexdigest()
    return f"GC-CANARY-{digest[:12]}"


def build_output_check(
    settings: Settings,
    redactor: Redactor,
    profile: CompanyProfile,
    facts: Sequence[str] | None = None,
) -> OutputCheck:
    """The output check, its meaning model in the model cache. Figures in a reply must come
    from `facts` (default: the configured knowledge base's answers), the profile or the
    customer."""
    cache = settings.resolved_model_cache_dir
    canary = canary_for(settings.secret_key.get_secret_value())
    if facts is None:
        facts = [entry.answer for entry in read_entries(settings.knowledge)]
    return OutputCheck(redactor, profile, canary, knowledge=facts, cache_dir=cache)


def build_services(settings: Settings, model: ChatModel, handoffs: HandoffQueue) -> ChatServices:
    """The guards, triage and prompts (the slow part of start-up: models load here)."""
    redactor = Redactor()
    profile = CompanyProfile.from_yaml(settings.company_profile)
    canary = canary_for(settings.secret_key.get_secret_value())
    cache = settings.resolved_model_cache_dir
    knowledge = KnowledgeBase.load(settings.knowledge, shared_encoder(cache))
    return ChatServices(
        redactor=redactor,
        input_screen=InputScreen(max_chars=settings.max_message_chars, cache_dir=cache),
        triage=Triage.load(cache),
        scope_check=ScopeCheck(shared_encoder(cache), cache),
        knowledge=knowledge,
        model=model,
        output_check=build_output_check(settings, redactor, profile, knowledge.facts()),
        handoffs=handoffs,
        prompts=PromptBook(profile=profile, canary=canary),
        guard_timeout_s=settings.guard_timeout_s,
        max_new_tokens=settings.max_new_tokens,
        trace_content=settings.trace_content,
        metrics=PrometheusTurnMetrics(),
    )
