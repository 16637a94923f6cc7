"""`guardchat bench load`: many concurrent conversations against a running gateway, on loopback.

A bounded asyncio client (httpx). Each of N simulated customers runs a loop of turns for a
fixed time: JSON and server-sent-event turns alternate, and the second and third turns of a
conversation carry its token; then the customer starts a new conversation. Every loop is
bounded in time (the run's deadline, a per-request timeout) and in count (turns per
customer), so the run always stops by itself.

Deliberate refusals (429 rate limited, 503 unavailable, both with `Retry-After`) are counted
and honoured; anything else that is not a complete reply is an unexpected error. While the
load runs, the resident memory (VmRSS, children included) of the processes named by PID is
sampled every few seconds, to show it stays flat.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

MESSAGES = [
    "How can I track my order?",
    "Hi, I am Ann Lee. Where is my order 1234567?",
    "Can I change the delivery address?",
    "What payment methods do you accept?",
    "I would like to cancel my order, please.",
    "How long does a refund take?",
    "My email is ann.lee@example.com, can you update my account?",
    "Do you ship to Canada?",
]
TURNS_PER_CONVERSATION = 3  # then the customer opens a new conversation
MAX_RETRY_WAIT_S = 5.0  # a Retry-After longer than this is cut short (the run is bounded)
PROC = Path("/proc")
DELIBERATE = {429: "rate_limited", 503: "unavailable"}


class LoadError(ValueError):
    """The load test was asked to do something it must not (e.g. leave loopback)."""


@dataclass(frozen=True)
class TurnOutcome:
    """One turn as the client saw it: `kind` is `ok`, a deliberate refusal or an error."""

    kind: str
    latency_s: float
    token: str | None = None
    handed_off: bool = False
    retry_after_s: float = 0.0
    answered_by: str = ""
    """Who wrote the reply: model, knowledge, fallback, handoff, refuse or redirect."""


@dataclass
class MemoryTrack:
    """VmRSS samples (MiB) of one process and its children."""

    samples: list[float] = field(default_factory=list)

    @property
    def start(self) -> float:
        return self.samples[0] if self.samples else 0.0

    @property
    def end(self) -> float:
        return self.samples[-1] if self.samples else 0.0

    @property
    def peak(self) -> float:
        return max(self.samples, default=0.0)

    @property
    def warm(self) -> float:
        """A quarter into the run: growth from here to the end is what "flat" is about."""
        return self.samples[len(self.samples) // 4] if self.samples else 0.0


@dataclass
class LoadReport:
    conversations: int
    duration_s: float
    elapsed_s: float = 0.0
    turns_ok: int = 0
    json_ok: int = 0
    sse_ok: int = 0
    token_turns_ok: int = 0
    """Turns after the first of their conversation (sent with the conversation token)."""
    handoffs: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    """Deliberate refusals: `rate_limited` (429) and `unavailable` (503)."""
    errors: Counter[str] = field(default_factory=Counter)
    """Everything else that was not a complete reply; must stay empty."""
    latencies_s: list[float] = field(default_factory=list)
    answered_by: Counter[str] = field(default_factory=Counter)
    model_latencies_s: list[float] = field(default_factory=list)
    """Latency of the turns the model answered."""
    memory: dict[str, MemoryTrack] = field(default_factory=dict)

    @property
    def unexpected_errors(self) -> int:
        return sum(self.errors.values())

    @property
    def turns_per_s(self) -> float:
        return self.turns_ok / self.elapsed_s if self.elapsed_s else 0.0

    def percentile(self, q: float, model_only: bool = False) -> float:
        """Nearest-rank percentile of the successful turns' latency (seconds)."""
        latencies = self.model_latencies_s if model_only else self.latencies_s
        if not latencies:
            return 0.0
        ordered = sorted(latencies)
        return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]

    def record(self, outcome: TurnOutcome, streamed: bool, with_token: bool) -> None:
        if outcome.kind == "ok":
            self.turns_ok += 1
            self.sse_ok += streamed
            self.json_ok += not streamed
            self.token_turns_ok += with_token
            self.handoffs += outcome.handed_off
            self.latencies_s.append(outcome.latency_s)
            self.answered_by[outcome.answered_by] += 1
            if outcome.answered_by == "model":
                self.model_latencies_s.append(outcome.latency_s)
        elif outcome.kind in DELIBERATE.values():
            self.refused[outcome.kind] += 1
        else:
            self.errors[outcome.kind] += 1


# --- one turn -------------------------------------------------------------------------------


async def json_turn(
    client: httpx.AsyncClient, message: str, headers: dict[str, str]
) -> TurnOutcome:
    """POST /v1/chat and read the JSON reply."""
    started = time.perf_counter()
    response = await client.post("/v1/chat", json={"message": message}, headers=headers)
    latency = time.perf_counter() - started
    if response.status_code != 200:
        return refusal_or_error(response, latency)
    body = response.json()
    if not body.get("reply") or not body.get("conversation_token"):
        return TurnOutcome("incomplete_reply", latency)
    return answered(latency, body)


async def sse_turn(client: httpx.AsyncClient, message: str, headers: dict[str, str]) -> TurnOutcome:
    """POST /v1/chat with `Accept: text/event-stream`; the turn is ok when `done` arrives."""
    started = time.perf_counter()
    sse_headers = {**headers, "Accept": "text/event-stream"}
    async with client.stream(
        "POST", "/v1/chat", json={"message": message}, headers=sse_headers
    ) as r:
        if r.status_code != 200:
            await r.aread()
            return refusal_or_error(r, time.perf_counter() - started)
        events = await server_sent_events(r)
    latency = time.perf_counter() - started
    kinds = [kind for kind, _ in events]
    if "error" in kinds:
        return TurnOutcome("sse_error_event", latency)
    if not kinds or kinds[0] != "meta" or kinds[-1] != "done":
        return TurnOutcome("incomplete_stream", latency)
    return answered(latency, events[-1][1])


def answered(latency: float, reply: dict[str, Any]) -> TurnOutcome:
    """A complete reply (the JSON body, or the SSE `done` event)."""
    handed_off = reply.get("route") == "handoff"
    token = str(reply["conversation_token"])
    return TurnOutcome("ok", latency, token, handed_off, answered_by=str(reply.get("answered_by")))


async def server_sent_events(response: httpx.Response) -> list[tuple[str, dict[str, object]]]:
    """The (event, data) pairs of a text/event-stream body."""
    events, kind = [], "message"
    async for line in response.aiter_lines():
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            events.append((kind, json.loads(line[6:])))
    return events


def refusal_or_error(response: httpx.Response, latency: float) -> TurnOutcome:
    """429/503 with Retry-After are deliberate; any other status is an error."""
    kind = DELIBERATE.get(response.status_code, f"http_{response.status_code}")
    retry_after = response.headers.get("retry-after", "1")
    wait = float(retry_after) if retry_after.isdigit() else 1.0
    if kind not in DELIBERATE.values():
        return TurnOutcome(kind, latency)
    if "retry-after" not in response.headers:
        return TurnOutcome(f"http_{response.status_code}_without_retry_after", latency)
    return TurnOutcome(kind, latency, retry_after_s=min(wait, MAX_RETRY_WAIT_S))


async def one_turn(
    client: httpx.AsyncClient,
    message: str,
    token: str | None,
    streamed: bool,
    client_ip: str | None,
) -> TurnOutcome:
    """One turn, with transport failures and timeouts turned into error outcomes."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if client_ip:
        headers["X-Forwarded-For"] = client_ip
    started = time.perf_counter()
    try:
        turn = sse_turn if streamed else json_turn
        return await turn(client, message, headers)
    except httpx.TimeoutException:
        return TurnOutcome("timeout", time.perf_counter() - started)
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        return TurnOutcome(type(exc).__name__, time.perf_counter() - started)


# --- one simulated customer -----------------------------------------------------------------


@dataclass(frozen=True)
class LoadPlan:
    conversations: int
    duration_s: float
    max_turns_per_customer: int
    distinct_clients: bool


async def customer(
    client: httpx.AsyncClient, index: int, plan: LoadPlan, deadline: float, report: LoadReport
) -> None:
    """Turns until the deadline (or the turn bound): a new conversation every few turns."""
    token: str | None = None
    in_conversation = 0
    client_ip = f"10.77.{index // 250}.{index % 250 + 1}" if plan.distinct_clients else None
    for turn in range(plan.max_turns_per_customer):
        if time.monotonic() >= deadline:
            return
        message = MESSAGES[(index + turn) % len(MESSAGES)]
        streamed = (index + turn) % 2 == 1
        outcome = await one_turn(client, message, token, streamed, client_ip)
        report.record(outcome, streamed, with_token=token is not None)
        if outcome.kind == "ok":
            in_conversation += 1
            token = outcome.token
        if outcome.kind != "ok" or outcome.handed_off or in_conversation >= TURNS_PER_CONVERSATION:
            token, in_conversation = None, 0  # start afresh: a human has it, or enough turns
        if outcome.retry_after_s:
            await asyncio.sleep(min(outcome.retry_after_s, max(0.0, deadline - time.monotonic())))


# --- memory ---------------------------------------------------------------------------------


def rss_mib(pid: int) -> float:
    """VmRSS of one process in MiB (0 when it is gone)."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def parents() -> dict[int, int]:
    """pid -> parent pid for every process (from /proc/PID/stat)."""
    table = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        table[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])  # name may hold spaces
    return table


def family(root: int, table: dict[int, int], exclude: set[int]) -> set[int]:
    """`root` and all its descendants, less the subtrees of the `exclude` roots."""
    members, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in table.items():
            if parent == pid and child not in members and child not in exclude:
                members.add(child)
                frontier.append(child)
    return members


def sample_memory(pids: dict[str, int]) -> dict[str, float]:
    """RSS (MiB) of each named process with its children; a named child counts only for itself."""
    table = parents()
    roots = set(pids.values())
    return {
        name: sum(rss_mib(member) for member in family(pid, table, roots - {pid}))
        for name, pid in pids.items()
    }


async def watch_memory(
    pids: dict[str, int], every_s: float, tracks: dict[str, MemoryTrack], stop: asyncio.Event
) -> None:
    """Sample at once, every `every_s` seconds until `stop` is set, and once more at the end."""
    await record_memory(pids, tracks)
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every_s)
        await record_memory(pids, tracks)
        if stop.is_set():
            return


async def record_memory(pids: dict[str, int], tracks: dict[str, MemoryTrack]) -> None:
    for name, mib in (await asyncio.to_thread(sample_memory, pids)).items():
        tracks.setdefault(name, MemoryTrack()).samples.append(mib)


# --- the run --------------------------------------------------------------------------------


def require_loopback(url: str) -> None:
    """This client only ever talks to the local machine."""
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise LoadError(f"the load test runs on loopback only (127.0.0.1), not {host!r}")


async def load(
    url: str,
    plan: LoadPlan,
    pids: dict[str, int],
    sample_every_s: float,
    request_timeout_s: float,
    transport: httpx.AsyncBaseTransport | None = None,
) -> LoadReport:
    """Run the customers and the memory watcher; the whole run is bounded in time.
    `transport` replaces the network in tests."""
    require_loopback(url)
    report = LoadReport(plan.conversations, plan.duration_s)
    limits = httpx.Limits(
        max_connections=plan.conversations + 4, max_keepalive_connections=plan.conversations
    )
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_memory(pids, sample_every_s, report.memory, stop))
    started = time.monotonic()
    deadline = started + plan.duration_s
    async with httpx.AsyncClient(
        base_url=url, timeout=request_timeout_s, limits=limits, trust_env=False, transport=transport
    ) as client:
        customers = [customer(client, i, plan, deadline, report) for i in range(plan.conversations)]
        try:  # a turn started just before the deadline may take one request timeout more
            await asyncio.wait_for(
                asyncio.gather(*customers), plan.duration_s + request_timeout_s + 5
            )
        except TimeoutError:
            report.errors["run_overran"] += 1
    report.elapsed_s = time.monotonic() - started
    stop.set()
    await watcher
    return report


def run_load(
    url: str,
    conversations: int = 50,
    duration_s: float = 120.0,
    *,
    pids: dict[str, int] | None = None,
    sample_every_s: float = 5.0,
    request_timeout_s: float = 120.0,
    max_turns_per_customer: int = 10_000,
    distinct_clients: bool = False,
) -> LoadReport:
    """The load test (blocking). `pids` names processes to watch, e.g. {"gateway": 123}.
    `distinct_clients` gives each customer its own X-Forwarded-For address (only honoured by a
    gateway started with GUARDCHAT_TRUST_FORWARDED_FOR=true), as real customers would have."""
    if conversations < 1 or duration_s <= 0:
        raise LoadError("conversations must be >= 1 and the duration > 0")
    plan = LoadPlan(conversations, duration_s, max_turns_per_customer, distinct_clients)
    return asyncio.run(load(url, plan, pids or {}, sample_every_s, request_timeout_s))


def format_load_report(report: LoadReport) -> str:
    """The figures as a Markdown snippet for docs/benchmarks.md."""
    lines = [
        f"{report.conversations} concurrent conversations for {report.duration_s:.0f} s "
        f"(ran {report.elapsed_s:.1f} s)",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| turns ok | {report.turns_ok} (JSON {report.json_ok}, SSE {report.sse_ok}) |",
        f"| turns sent with a conversation token | {report.token_turns_ok} |",
        f"| handed off to a human | {report.handoffs} |",
        f"| 429 rate limited (deliberate) | {report.refused['rate_limited']} |",
        f"| 503 unavailable (deliberate) | {report.refused['unavailable']} |",
        f"| other errors | {report.unexpected_errors} {_breakdown(report.errors)} |",
        f"| turns/s | {report.turns_per_s:.2f} |",
        f"| latency p50 / p95 / p99 (s) | {report.percentile(50):.2f} / "
        f"{report.percentile(95):.2f} / {report.percentile(99):.2f} |",
        f"| answered by | {_breakdown(report.answered_by)} |",
        f"| model-answered latency p50 / p95 (s) | {report.percentile(50, model_only=True):.2f}"
        f" / {report.percentile(95, model_only=True):.2f} |",
    ]
    if report.memory:
        lines += ["", "| RSS, MiB (children included) | start | at 25 % | end | max | samples |"]
        lines.append("|---|---:|---:|---:|---:|---:|")
        for name, track in report.memory.items():
            lines.append(
                f"| {name} | {track.start:.0f} | {track.warm:.0f} | {track.end:.0f} | "
                f"{track.peak:.0f} | {len(track.samples)} |"
            )
    return "\n".join(lines)


def _breakdown(errors: Counter[str]) -> str:
    return "(" + ", ".join(f"{k}: {v}" for k, v in errors.most_common()) + ")" if errors else ""
