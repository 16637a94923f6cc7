"""Every error is `application/problem+json` (RFC 9457): status, title, detail. Never a trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.gateway.openapi_problems import install_problem_openapi

log = logging.getLogger("guardchat.gateway")

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """An error the client should see, with its HTTP status."""

    def __init__(
        self, status: int, title: str, detail: str = "", headers: dict[str, str] | None = None
    ):
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers


def problem_response(
    status: int, title: str, detail: str = "", headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"type": "about:blank", "status": status, "title": title, "detail": detail}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    """Map every kind of failure to a problem response (and say so in /openapi.json)."""
    install_problem_openapi(app)

    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.title, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(422, "Invalid request", _validation_detail(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers) if exc.headers else None
        return problem_response(exc.status_code, str(exc.detail), "", headers)

    for error_class in database_errors():
        app.add_exception_handler(error_class, _database_down)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error: %s", type(exc).__name__)  # never the message: it may hold data
        return problem_response(500, "Internal error", "The request could not be completed.")


def database_errors() -> tuple[type[Exception], ...]:
    """What the database layers raise when the database is down or unreachable."""
    import sqlite3

    import psycopg
    import psycopg_pool
    from sqlalchemy.exc import InterfaceError, OperationalError

    return (  # connection failures only: a bad value (DataError) is not an outage
        OperationalError,
        InterfaceError,
        sqlite3.OperationalError,
        psycopg.OperationalError,
        psycopg_pool.PoolTimeout,
    )


async def _database_down(_: Request, exc: Exception) -> JSONResponse:
    log.error("database unavailable: %s", type(exc).__name__)
    detail = "The service cannot reach its database. Nothing was saved; please retry."
    return problem_response(503, "Service unavailable", detail, {"Retry-After": "5"})


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        parts.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)
