"""`guardchat`: the command line (see the contract). Each subcommand is a thin call into
the module that does the work."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from service.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from service.storage.audit_search import AuditQuery

Command = Callable[[argparse.Namespace], int]


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("guardchat").setLevel(logging.INFO)
    args = build_parser().parse_args(argv)
    try:
        status: int = args.command(args)
    except ConfigError as exc:
        print(f"guardchat: {exc}", file=sys.stderr)
        return 2
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guardchat", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    _add_serve(commands)
    _add_model_server(commands)
    _add_filters(commands)
    _add_bench(commands)
    _add_eval(commands)
    _add_audit(commands)
    _add_db(commands)
    _add_finetune(commands)
    return parser


def _add_serve(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser("serve", help="the gateway, plus a model-server child process")
    cmd.add_argument("--host", default="127.0.0.1")
    cmd.add_argument("--port", type=int, default=8000)
    cmd.add_argument("--model-port", type=int, dest="model_port")
    cmd.add_argument("--model")
    cmd.add_argument("--model-url", dest="model_url")
    cmd.set_defaults(command=_serve)


def _add_model_server(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser("model-server", help="the LitServe model server")
    cmd.add_argument("--host", default="127.0.0.1")
    cmd.add_argument("--port", type=int, default=8001)
    cmd.add_argument("--model")
    cmd.add_argument("--adapter")
    cmd.add_argument("--device", choices=["auto", "cpu", "cuda"])
    cmd.set_defaults(command=_model_server)


def _add_filters(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    commands.add_parser("redact", help="JSON Lines: redact personal data").set_defaults(
        command=_filter("redact")
    )
    commands.add_parser("route", help="JSON Lines: intent and route").set_defaults(
        command=_filter("route")
    )
    guard = commands.add_parser("guard", help="JSON Lines: input or output guard")
    guard.add_argument("direction", choices=["input", "output"])
    guard.set_defaults(command=lambda args: _filter(f"guard-{args.direction}")(args))


def _add_bench(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    bench = commands.add_parser("bench", help="benchmarks (figures for docs/benchmarks.md)")
    which = bench.add_subparsers(required=True, metavar="WHAT")
    model = which.add_parser("model", help="tokens/s and time to first token by concurrency")
    model.add_argument("--url", default="http://127.0.0.1:8001", help="a running model server")
    model.add_argument("--levels", default="1,2,4,8,16")
    model.add_argument("--max-tokens", type=int, default=64, dest="max_tokens")
    model.add_argument("--interval", type=float, default=0.0,
                       help="seconds between arrivals (0: all at once)")  # fmt: skip
    model.set_defaults(command=_bench_model)
    guards = which.add_parser("guards", help="redaction and guard latency on the labelled sets")
    guards.add_argument("--json", action="store_true")
    guards.set_defaults(command=_bench_guards)
    load = which.add_parser("load", help="concurrent conversations against a local gateway")
    load.add_argument("--url", default="http://127.0.0.1:8000", help="a running gateway (loopback)")
    load.add_argument("--conversations", type=int, default=50)
    load.add_argument("--duration", type=float, default=120.0, help="seconds")
    load.add_argument("--timeout", type=float, default=120.0, help="per request, seconds")
    load.add_argument(
        "--pid", action="append", default=[], metavar="NAME=PID",
        help="a process whose memory (children included) to sample, e.g. gateway=1234",
    )  # fmt: skip
    load.add_argument("--distinct-clients", action="store_true", dest="distinct_clients",
                      help="one X-Forwarded-For address per conversation")  # fmt: skip
    load.set_defaults(command=_bench_load)


def _add_eval(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    evaluate = commands.add_parser("eval", help="quality figures on labelled sets")
    which = evaluate.add_subparsers(required=True, metavar="WHAT")
    for name, helptext in (
        ("pii", "redaction: per-type precision/recall/F2, leaks, references kept"),
        ("routing", "intent accuracy and handoff rates"),
        ("guards", "input guard block rates and output check figures"),
        ("output", "output check alone: replies stopped / good replies unchanged, per kind"),
    ):
        cmd = which.add_parser(name, help=helptext)
        cmd.add_argument("--data", type=Path, help="a labelled set (default: data/eval/...)")
        cmd.add_argument("--json", action="store_true")
        if name == "pii":
            cmd.add_argument(
                "--baseline", action="store_true",
                help="also run Presidio's default analyzer and show its figures beside ours",
            )  # fmt: skip
        cmd.set_defaults(command=_eval(name))
    replies = which.add_parser("replies", help="answers through a running gateway, held-out")
    replies.add_argument("--url", default="http://127.0.0.1:8000", help="a running gateway")
    replies.add_argument("--per-intent", type=int, default=2, dest="per_intent")
    replies.add_argument(
        "--skip-per-intent", type=int, default=0, dest="skip",
        help="start after this many held-out pairs of each intent (0: the first ones)",
    )  # fmt: skip
    replies.add_argument("--questions", type=Path, help='JSON Lines {"text", "expect": [...]}')
    replies.add_argument("--concurrency", type=int, default=4)
    replies.add_argument("--json", action="store_true")
    replies.set_defaults(command=_eval_replies)
    scope = which.add_parser("scope", help="the topical rail: requests redirected, by label")
    scope.add_argument("--data", type=Path, required=True, help='JSON Lines {"text", "label"}')
    scope.add_argument("--json", action="store_true")
    scope.set_defaults(command=_eval_scope)
    feedback = which.add_parser(
        "feedback", help="customer ratings: satisfaction by intent, worst replies first"
    )
    feedback.add_argument("--json", action="store_true")
    feedback.set_defaults(command=_eval_feedback)


def _eval_feedback(args: argparse.Namespace) -> int:
    import asyncio

    from service.evals.feedback import feedback_report

    print(asyncio.run(feedback_report(load_settings(), args.json)))
    return 0


def _eval_scope(args: argparse.Namespace) -> int:
    from service.evals import commands

    print(commands.eval_scope(load_settings(), args.data, args.json))
    return 0


def _eval_replies(args: argparse.Namespace) -> int:
    from service.evals import commands

    settings = load_settings()
    print(commands.eval_replies(settings, args.url, args.per_intent, args.skip,
                                args.questions, args.concurrency, args.json))  # fmt: skip
    return 0


def _eval(name: str) -> Command:
    def run(args: argparse.Namespace) -> int:
        from service.evals import commands

        settings = load_settings()
        if name == "pii":
            print(commands.eval_pii(args.data, args.json, args.baseline, settings.company_profile))
        elif name == "routing":
            print(commands.eval_routing(settings, args.data, args.json))
        elif name == "output":
            print(commands.eval_output(settings, args.data, args.json))
        else:
            print(commands.eval_guards(settings, args.data, args.json))
        return 0

    return run


def _bench_guards(args: argparse.Namespace) -> int:
    from service.evals import commands

    print(commands.eval_pii(None, args.json))
    print(commands.eval_guards(load_settings(), None, args.json))
    return 0


def _bench_model(args: argparse.Namespace) -> int:
    from service.bench.model import bench_model, format_table

    levels = [int(level) for level in args.levels.split(",")]
    print(format_table(bench_model(args.url, levels, args.max_tokens, args.interval)))
    return 0


def _bench_load(args: argparse.Namespace) -> int:
    from service.bench.load import format_load_report, run_load

    pids = {name: int(pid) for name, _, pid in (item.partition("=") for item in args.pid)}
    report = run_load(
        args.url,
        args.conversations,
        args.duration,
        pids=pids,
        request_timeout_s=args.timeout,
        distinct_clients=args.distinct_clients,
    )
    print(format_load_report(report))
    return 1 if report.unexpected_errors else 0


def _add_finetune(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from service.finetune.recipe import EMBEDDED_GEMMA

    cmd = commands.add_parser("finetune", help="LoRA fine-tuning on instruction/response pairs")
    cmd.add_argument("--model", default=EMBEDDED_GEMMA, help="base model (default: %(default)s)")
    cmd.add_argument("--data", type=Path, help="Bitext-style CSV (default: data/bitext/...)")
    cmd.add_argument("--out", type=Path, required=True, help="folder for the adapter and its card")
    cmd.add_argument("--lora-r", type=int, default=8, dest="lora_r")
    cmd.add_argument("--lora-alpha", type=int, default=8, dest="lora_alpha")
    cmd.add_argument("--lr", type=float, default=2e-4, dest="learning_rate")
    cmd.add_argument("--epochs", type=float, default=1.0)
    cmd.add_argument("--batch-size", type=int, default=1, dest="batch_size")
    cmd.add_argument("--grad-accumulation", type=int, default=16, dest="grad_accumulation")
    cmd.add_argument("--max-examples", type=int, dest="max_examples", help="a balanced subset")
    cmd.add_argument("--max-length", type=int, default=384, dest="max_length")
    cmd.add_argument("--seed", type=int, default=0)
    cmd.add_argument(
        "--shortlist",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="softmax over a vocabulary shortlist (default: vocabularies > 100k)",
    )
    cmd.add_argument("--load-in-4bit", action="store_true", dest="load_in_4bit", help="QLoRA (GPU)")
    cmd.add_argument("--threads", type=int, help="CPU threads for torch")
    cmd.add_argument(
        "--continue-from",
        type=Path,
        dest="continue_from",
        help="an adapter to start from; the pairs its runs trained on are skipped",
    )
    cmd.set_defaults(command=_finetune)


def _finetune(args: argparse.Namespace) -> int:
    from service.finetune.recipe import Recipe
    from service.finetune.train import finetune

    settings = load_settings()
    options = {k: v for k, v in vars(args).items() if k != "command" and v is not None}
    recipe = Recipe(cache_dir=settings.resolved_model_cache_dir, **options)
    result = finetune(recipe)
    print(f"adapter written to {recipe.out}: {result.steps} steps, last loss {result.last_loss}")
    return 0


def _add_db(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = commands.add_parser("db", help="the database schema (Alembic migrations)")
    which = db.add_subparsers(required=True, metavar="WHAT")
    which.add_parser(
        "upgrade", help="migrate to the newest revision (the gateway also does at start)"
    ).set_defaults(command=_db_upgrade)


def _db_upgrade(_: argparse.Namespace) -> int:
    import asyncio

    from service.storage.database import migrate

    print(f"schema at revision {asyncio.run(migrate(load_settings()))}")
    return 0


def _add_audit(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = commands.add_parser(
        "audit",
        help="a conversation's audit trail (ID), 'verify [ID ...]' to check chains, or "
        "'search' to find conversations by what the trail recorded",
    )
    audit.add_argument("target", metavar="ID|verify|search")
    audit.add_argument("ids", nargs="*", help="with verify: the conversations (default: all)")
    output = audit.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true")
    output.add_argument("--jsonl", action="store_true", help="with search: one conversation a line")
    _add_search_filters(audit)
    audit.set_defaults(command=_audit)


def _add_search_filters(audit: argparse.ArgumentParser) -> None:
    """`guardchat audit search`'s filters: the auditor API's query parameters."""
    audit.add_argument("--since", type=_moment, help="ISO 8601; events at or after")
    audit.add_argument("--until", type=_moment, help="ISO 8601; events at or before")
    audit.add_argument("--route", choices=["assistant", "handoff", "refuse", "redirect", "relay"])
    audit.add_argument("--reason", help="a handoff reason")
    audit.add_argument("--verdict", choices=["allow", "block"], help="the input guard's verdict")
    audit.add_argument("--guard-reason", help="a reason the input or output guard gave")
    audit.add_argument("--answered-by", help="what answered (as the output guard recorded)")
    audit.add_argument("--rating", choices=["up", "down"], help="customer feedback")


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {text!r}") from None


def _audit(args: argparse.Namespace) -> int:
    import asyncio

    from service.audit_cli import search_trails, show_trail, verify_trails

    settings = load_settings()
    if args.target == "verify":
        text, status = asyncio.run(verify_trails(settings, args.ids))
    elif args.target == "search":
        text, status = asyncio.run(search_trails(settings, _audit_query(args), _output(args)))
    else:
        text, status = asyncio.run(show_trail(settings, args.target, args.json))
    print(text)
    return status


def _audit_query(args: argparse.Namespace) -> AuditQuery:
    from service.storage.audit_search import AuditQuery

    return AuditQuery(
        args.since, args.until, args.route, args.reason, args.verdict, args.guard_reason,
        args.answered_by, args.rating, limit=200,
    )  # fmt: skip


def _output(args: argparse.Namespace) -> str:
    return "json" if args.json else "jsonl" if args.jsonl else "text"


def _settings(args: argparse.Namespace, *names: str) -> Settings:
    """Settings from the environment, with the command line's explicit options on top."""
    given = {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}
    return load_settings(**given)


def _serve(args: argparse.Namespace) -> int:
    from service.stop_signals import StopSignals

    signals = StopSignals("gateway and the model server").install()  # Ctrl-C from the start
    settings = _settings(args, "model", "model_url", "model_port")
    try:
        from service.serve import serve  # heavy imports only once the settings are known good
    except KeyboardInterrupt:
        return 0
    return serve(settings, args.host, args.port, signals)


def _model_server(args: argparse.Namespace) -> int:
    from service.model_server.loading import ModelNotFound, resolve_model_dir
    from service.model_server.server import run_model_server

    settings = _settings(args, "model", "adapter", "device")
    try:
        resolve_model_dir(settings.model, settings.resolved_model_cache_dir)  # fail fast, clearly
    except ModelNotFound as exc:
        raise ConfigError(f"GUARDCHAT_MODEL: {exc}") from None
    run_model_server(settings, args.host, args.port)
    return 0


def _filter(name: str) -> Command:
    def run(_: argparse.Namespace) -> int:
        from service.filter_commands import handler_for
        from service.filters import run_filter

        return run_filter(handler_for(name, load_settings()), sys.stdin, sys.stdout)

    return run


if __name__ == "__main__":
    raise SystemExit(main())
