"""`guardchat`: the command line (see the contract). Each subcommand is a thin call into
the module that does the work."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from service.config import ConfigError, Settings, load_settings

Command = Callable[[argparse.Namespace], int]


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
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


def _settings(args: argparse.Namespace, *names: str) -> Settings:
    """Settings from the environment, with the command line's explicit options on top."""
    given = {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}
    return load_settings(**given)


def _serve(args: argparse.Namespace) -> int:
    settings = _settings(args, "model", "model_url", "model_port")
    from service.serve import serve  # heavy imports only once the settings are known good

    return serve(settings, args.host, args.port)


def _model_server(args: argparse.Namespace) -> int:
    from service.model_server.loading import ModelNotFound, resolve_model_dir
    from service.model_server.server import model_cache_dir, run_model_server

    settings = _settings(args, "model", "adapter", "device")
    try:
        resolve_model_dir(settings.model, model_cache_dir(settings))  # fail fast, clearly
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
