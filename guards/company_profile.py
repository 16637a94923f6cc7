"""The company's own facts: what the bot may state, and what fills Bitext `{{Slot}}` templates.

`CompanyProfile.from_yaml(None)` loads the sample shipped in `guards/data/company_profile.yaml`;
`GUARDCHAT_COMPANY_PROFILE` names an operator's own file with the same fields.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

SAMPLE_PROFILE_PATH = Path(__file__).parent / "data" / "company_profile.yaml"

_SLOTS_BY_FIELD: dict[str, tuple[str, ...]] = {
    "name": ("Company Name", "Company", "Store Name", "Brand Name"),
    "support_hours": ("Customer Support Hours", "Support Hours", "Business Hours", "Working Hours"),
    "phone": ("Customer Support Phone Number", "Support Phone Number", "Phone Number"),
    "email": ("Customer Support Email", "Support Email", "Email Address", "Company Email"),
    "website": ("Website URL", "Company Website", "Website", "Online Company Portal Info"),
    "live_chat": ("Live Chat Support", "Live Chat"),
}
"""Which Bitext slot names each profile field fills."""

_POLICY_SLOTS: dict[str, tuple[str, ...]] = {
    "refund": ("Refund Policy",),
    "returns": ("Return Policy", "Returns Policy"),
    "shipping": ("Shipping Policy", "Delivery Policy"),
    "cancellation": ("Cancellation Policy",),
}


class CompanyProfileError(ValueError):
    """A company profile file that cannot be used; the message says what is wrong."""


class CompanyProfile(BaseModel):
    """Name, contact details and policies of the company the bot speaks for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    support_hours: str
    phone: str
    email: str
    website: str
    live_chat: str = "live chat"
    """Fills Bitext's `{{Live Chat}}`, a noun: "through our {{Live Chat}} on the website"."""
    policies: dict[str, str] = {}

    def published_contacts(self) -> tuple[str, str]:
        """The phone number and e-mail address the company publishes: not personal data when
        a customer writes them, so redaction keeps them."""
        return (self.phone, self.email)

    def slot_values(self) -> dict[str, str]:
        """Bitext slot names (e.g. ``"Company Name"``) mapped to this company's values."""
        values: dict[str, str] = {}
        for field_name, slots in _SLOTS_BY_FIELD.items():
            values.update(dict.fromkeys(slots, str(getattr(self, field_name))))
        for policy, slots in _POLICY_SLOTS.items():
            if policy in self.policies:
                values.update(dict.fromkeys(slots, self.policies[policy]))
        return values

    @classmethod
    def from_yaml(cls, path: Path | None = None) -> CompanyProfile:
        """The profile in ``path`` (None: the shipped sample); `CompanyProfileError` if unusable."""
        source = path or SAMPLE_PROFILE_PATH
        try:
            data = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise CompanyProfileError(f"cannot read company profile {source}: {exc}") from exc
        if not isinstance(data, dict):
            raise CompanyProfileError(f"company profile {source}: expected a mapping of fields")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise CompanyProfileError(f"company profile {source}: {_describe(exc)}") from exc


def _describe(exc: ValidationError) -> str:
    """One short line per problem, naming the field."""
    problems = [
        f"{'.'.join(str(p) for p in error['loc']) or 'profile'}: {error['msg']}"
        for error in exc.errors()
    ]
    return "; ".join(problems)
