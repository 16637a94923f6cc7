"""GET /v1/audit/conversations/{id}: the auditors' view of a conversation's decisions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from service.gateway.deps import GatewayDep, require_auditor
from service.gateway.problems import Problem
from service.gateway.text_types import ResourceId

router = APIRouter(tags=["audit"], dependencies=[Depends(require_auditor)])


class AuditEventOut(BaseModel):
    seq: int
    at: str
    trace_id: str
    kind: str
    detail: dict[str, Any]
    hash: str
    prev_hash: str


class AuditTrail(BaseModel):
    conversation_id: str
    events: list[AuditEventOut]


@router.get("/v1/audit/conversations/{conversation_id}", response_model=AuditTrail)
async def read_audit_trail(conversation_id: ResourceId, gateway: GatewayDep) -> AuditTrail:
    events = await gateway.audit.events(conversation_id)
    if not events and await gateway.conversations.get(conversation_id) is None:
        raise Problem(404, "Unknown conversation")
    return AuditTrail(
        conversation_id=conversation_id, events=[AuditEventOut(**e.public()) for e in events]
    )
