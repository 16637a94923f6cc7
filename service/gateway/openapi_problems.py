"""Make `/openapi.json` tell the truth about errors: every error is `application/problem+json`.

FastAPI documents request-validation errors as `application/json` `HTTPValidationError` and
leaves other error responses without a body schema; the gateway answers all of them with
problem+json (see `problems.py`). `problem_openapi` rewrites the generated schema so clients
and schema-driven tests (tests/integration/gateway/test_api_schema.py) see what is sent:

- a `Problem` component schema (`type`, `status`, `title`, `detail`);
- every documented 4xx/5xx response, and the 422 FastAPI adds, answered with it;
- the errors any operation may give, whatever its router says: 413 (body size), 429
  (rate limits) and 503 (database down); 422 where it takes parameters or a body; 400
  (unparsable body) where it takes a body; 401 where it needs a bearer token; 404 where its
  path names a resource.

`install_problem_openapi(app)` (called by `install_problem_handlers`) wires it; the schema is
built on the first request for it, so routers included later are covered.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

PROBLEM_JSON = "application/problem+json"  # as problems.py sends it

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "An error, as RFC 9457 problem details. Never a stack trace.",
    "required": ["status", "title", "detail"],
    "properties": {
        "type": {"type": "string", "default": "about:blank"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "title": {"type": "string"},
        "detail": {"type": "string"},
    },
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
ALWAYS_POSSIBLE = {
    "413": "Request too large",
    "429": "Too many requests",
    "503": "Service unavailable (database down)",
}
FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


def problem_openapi(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of `spec` whose error responses are problem+json."""
    spec = copy.deepcopy(spec)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for operation in _operations(spec):
        _document_errors(operation)
    for name in FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    return spec


def install_problem_openapi(app: FastAPI) -> None:
    """Serve `problem_openapi` of FastAPI's schema at /openapi.json (built once, then cached)."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problem_openapi(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        operation
        for path_item in spec.get("paths", {}).values()
        for method, operation in path_item.items()
        if method in HTTP_METHODS
    ]


def _document_errors(operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    for status, title in ALWAYS_POSSIBLE.items():
        responses.setdefault(status, {"description": title})
    if operation.get("parameters") or operation.get("requestBody"):
        responses.setdefault("422", {"description": "Invalid request"})
    if operation.get("requestBody"):
        responses.setdefault("400", {"description": "Body could not be parsed"})
    if operation.get("security"):
        responses.setdefault("401", {"description": "Token missing or invalid"})
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        responses.setdefault("404", {"description": "Unknown resource"})
    for status, response in responses.items():
        if status[0] in "45":
            response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
            if response.get("description") in (None, "", "Additional Response"):
                response["description"] = "Problem details"
