"""Prometheus metrics, served at the gateway's /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

TURNS = Counter("guardchat_turns_total", "Customer turns, by route", ["route"])
HTTP_LATENCY = Histogram(
    "guardchat_http_request_seconds", "Gateway request latency", ["method", "route", "status"]
)
