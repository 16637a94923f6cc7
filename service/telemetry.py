"""OpenTelemetry set-up from the standard `OTEL_*` variables, shared by both processes.

- `OTEL_TRACES_EXPORTER`: `otlp`, `console` or `none` (default: `otlp` when
  `OTEL_EXPORTER_OTLP_ENDPOINT` is set, else `none`; spans and trace ids exist either way).
- `OTEL_EXPORTER_OTLP_PROTOCOL` / `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`: `http/protobuf`
  (default) or `grpc`. `OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER(_ARG)` and the exporters'
  own variables are read by the SDK itself.
"""

from __future__ import annotations

import os

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

_configured: TracerProvider | None = None


def setup_telemetry(default_service_name: str) -> TracerProvider:
    """Install the process's tracer provider once; later calls return the same one."""
    global _configured
    if _configured is None:
        resource = Resource.create({"service.name": default_service_name})  # OTEL_SERVICE_NAME wins
        provider = TracerProvider(resource=resource)
        exporter = _exporter_from_env()
        if exporter is not None:
            provider.add_span_processor(BatchSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
        _configured = provider
    return _configured


def _exporter_from_env() -> SpanExporter | None:
    default = "otlp" if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") else "none"
    kind = os.environ.get("OTEL_TRACES_EXPORTER", default).split(",")[0].strip().lower()
    if kind == "console":
        return ConsoleSpanExporter()
    if kind == "otlp":
        return _otlp_exporter()
    return None


def _otlp_exporter() -> SpanExporter:
    protocol = os.environ.get(
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
        os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
    )
    if protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
        OTLPSpanExporter as HttpSpanExporter,
    )

    return HttpSpanExporter()
