"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from service.gateway.deps import GatewayDep
from service.gateway.problems import Problem

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {}})
async def readyz(gateway: GatewayDep) -> dict[str, str]:
    """Ready when the database answers and the model server is healthy."""
    try:
        async with gateway.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception:
        raise Problem(503, "Not ready", "database unavailable") from None
    model = gateway.services.model
    healthy = getattr(model, "healthy", None)
    if healthy is not None and not await healthy():
        raise Problem(503, "Not ready", "model server unavailable")
    return {"status": "ready"}


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
