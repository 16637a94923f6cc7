"""A real OTLP trace receiver for tests: the collector's gRPC TraceService and its
OTLP/HTTP protobuf endpoint, on loopback, keeping every span it is sent."""

from __future__ import annotations

import threading
from concurrent import futures
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc


@dataclass
class ReceivedSpan:
    service: str
    name: str
    trace_id: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class SpanSink:
    spans: list[ReceivedSpan] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, request: trace_service_pb2.ExportTraceServiceRequest) -> None:
        with self.lock:
            for resource_spans in request.resource_spans:
                service = _service_name(resource_spans.resource.attributes)
                for scope in resource_spans.scope_spans:
                    self.spans.extend(_span(service, s) for s in scope.spans)

    def in_trace(self, trace_id: str) -> list[ReceivedSpan]:
        with self.lock:
            return [s for s in self.spans if s.trace_id == trace_id]


def _service_name(attributes: Any) -> str:
    return next((a.value.string_value for a in attributes if a.key == "service.name"), "")


def _span(service: str, span: Any) -> ReceivedSpan:
    attributes = {a.key: str(a.value).strip() for a in span.attributes}
    return ReceivedSpan(service, span.name, span.trace_id.hex(), attributes)


class _TraceService(trace_service_pb2_grpc.TraceServiceServicer):
    def __init__(self, sink: SpanSink):
        self.sink = sink

    def Export(self, request: Any, context: Any) -> Any:
        self.sink.add(request)
        return trace_service_pb2.ExportTraceServiceResponse()


def start_grpc_receiver(sink: SpanSink) -> tuple[grpc.Server, int]:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(_TraceService(sink), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


def start_http_receiver(sink: SpanSink) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            request = trace_service_pb2.ExportTraceServiceRequest()
            request.ParseFromString(body)
            sink.add(request)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()
            self.wfile.write(trace_service_pb2.ExportTraceServiceResponse().SerializeToString())

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
