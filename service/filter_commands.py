"""The handlers behind `guardchat redact | route | guard input | guard output`."""

from __future__ import annotations

from functools import partial

from service.config import Settings
from service.filters import Handler


def handler_for(name: str, settings: Settings) -> Handler:
    """Build the (slow to load) components one filter needs, and its line handler."""
    if name == "redact":
        from guards.redaction import Redactor
        from service.filter_records import redact_record

        return partial(redact_record, Redactor())
    if name == "route":
        from graphs.routing import Triage
        from service.filter_records import route_record

        cache = settings.resolved_model_cache_dir
        return partial(route_record, Triage.load(cache))
    if name == "guard-input":
        from guards.input_checks import InputScreen
        from service.filter_records import guard_input_record

        cache = settings.resolved_model_cache_dir
        screen = InputScreen(max_chars=settings.max_message_chars, cache_dir=cache)
        return partial(guard_input_record, screen)
    return _output_handler(settings)


def _output_handler(settings: Settings) -> Handler:
    from guards.company_profile import CompanyProfile
    from guards.redaction import Redactor
    from service.filter_records import guard_output_record
    from service.gateway.wiring import build_output_check

    redactor = Redactor()
    profile = CompanyProfile.from_yaml(settings.company_profile)
    check = build_output_check(settings, redactor, profile)
    return partial(guard_output_record, check, redactor)
