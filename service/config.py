"""All configuration, in one place: `GUARDCHAT_*` environment variables (also read from `.env`).

`Settings` validates at start; `load_settings` turns a validation failure into one clear
message per problem, so `guardchat serve` can exit non-zero with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

EMBEDDED_MODEL = "embedded:gemma-3-270m"
"""Gemma 3 270M from its PyPI GGUF; served with `SHIPPED_ADAPTER` unless told otherwise."""
SHIPPED_ADAPTER = Path(__file__).parent / "model_server" / "adapters" / "gemma-3-270m-bitext-full"
"""Our LoRA fine-tune of the embedded Gemma on Bitext (`guardchat finetune`), with its card."""
NO_ADAPTER = "none"
DEV_SECRET = "dev-insecure-secret-change-me"
DEV_AGENT_TOKEN = "dev-agent-token"
DEV_AUDITOR_TOKEN = "dev-auditor-token"


class ConfigError(ValueError):
    """The configuration is unusable; the message says what to change."""


class Settings(BaseSettings):
    """Every setting the gateway and the model server read."""

    model_config = SettingsConfigDict(env_prefix="GUARDCHAT_", env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = "development"
    """In production, secrets left at their development defaults are refused."""
    model: str = EMBEDDED_MODEL
    """A Hugging Face model directory, a hub id in the local cache, or the embedded default."""
    adapter: str | None = None
    """A LoRA adapter directory applied on top of `model` (via peft). Unset: the shipped
    Bitext adapter when `model` is the embedded default; `none`: no adapter."""
    model_url: str | None = None
    """An already running model server; when unset, `serve` starts one as a child process."""
    model_host: str = "127.0.0.1"
    model_port: int = Field(default=8001, ge=1, le=65535)
    device: Literal["auto", "cpu", "cuda"] = "auto"
    engine: Literal["transformers", "vllm"] = "transformers"
    """What generates: transformers' continuous batching (CPU or GPU), or vLLM (CUDA only,
    the `vllm` extra)."""
    database_url: str = "sqlite:///var/guardchat.db"
    var_dir: Path = Path("var")
    """Where state and converted model copies live."""
    model_cache_dir: Path | None = None
    """Where converted model copies are cached (default: `var_dir/models`)."""
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    """Signs conversation tokens and seals vaults. To rotate it, move the old value to
    `previous_secret_keys` for as long as tokens and vaults made under it should open."""
    previous_secret_keys: Annotated[list[SecretStr], NoDecode] = []
    """Comma-separated: keys still accepted for tokens and vaults, never used to sign."""
    conversation_token_ttl_hours: float = Field(default=168.0, gt=0)
    """How long a conversation token grants its conversation (every turn hands out a new one)."""
    agent_token: SecretStr = SecretStr(DEV_AGENT_TOKEN)
    auditor_token: SecretStr = SecretStr(DEV_AUDITOR_TOKEN)
    cors_origins: Annotated[list[str], NoDecode] = []
    handoff_webhook_url: str | None = None
    handoff_webhook_secret: SecretStr | None = None
    company_profile: Path | None = None
    knowledge: Path | None = None
    """The company's knowledge base (YAML of policy and FAQ entries; default: the sample)."""
    max_message_chars: int = Field(default=2000, ge=1)
    max_request_bytes: int = Field(default=16_384, ge=256)
    max_new_tokens: int = Field(default=160, ge=1, le=4096)
    """Reply length the gateway asks the model for."""
    busy_model_streams: int = Field(default=4, ge=1)
    busy_max_new_tokens: int = Field(default=64, ge=1, le=4096)
    """With `busy_model_streams` replies being written, a new one asks for at most this many
    tokens: shorter replies under load, so every customer gets one in time (ten conversations
    on two cores: p95 turn 27-31 s with none, 24.8 s with 6 and 96, 19.3 s with 4 and 64)."""
    model_temperature: float | None = Field(default=0.3, ge=0, le=2)
    """Sampling temperature the gateway asks the model for (None: the model server's default,
    0.7; 0 is greedy). At 0.3 replies kept closer to what the model was fine-tuned on: mean
    cosine to Bitext's reference 0.710 -> 0.730 on 108 held-out development pairs (0.15:
    0.733), with the same share answered."""
    model_timeout_s: float = Field(default=60.0, gt=0)
    model_read_timeout_s: float = Field(default=15.0, gt=0)
    """Longest silence from the model server (first token included) before the turn falls back."""
    guard_timeout_s: float = Field(default=2.0, gt=0)
    turns_per_minute_per_client: float = Field(default=30, gt=0)
    turns_per_minute_per_conversation: float = Field(default=12, gt=0)
    requests_per_minute_per_client: float = Field(default=600, gt=0)
    conversation_ttl_hours: float = Field(default=24.0, gt=0)
    """Conversations idle this long are closed and their placeholder vaults deleted."""
    redis_url: str | None = None
    """Redis for the rate limits (`redis://` or `rediss://`), shared by every replica; unset:
    each replica counts in its own memory."""
    redis_key_prefix: str = Field(default="guardchat", min_length=1)
    """Prefix of the rate limits' keys in Redis (deployments sharing one Redis differ here)."""
    trust_forwarded_for: bool = False
    """Take the client address from X-Forwarded-For (only behind a proxy that sets it)."""
    trace_content: bool = False
    """Put message text on spans. Off by default; when on, only redacted text is ever traced."""

    @field_validator("cors_origins", "previous_secret_keys", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError(
                "must start with sqlite:/// or postgresql:// "
                f"(got {value.split(':', 1)[0]!r}://...)"
            )
        return value

    @field_validator("redis_url")
    @classmethod
    def _known_redis(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://")):
            raise ValueError(
                f"must start with redis:// or rediss:// (got {value.split(':', 1)[0]!r})"
            )
        return value or None

    @model_validator(mode="after")
    def _no_default_secrets_in_production(self) -> Settings:
        if self.environment == "production":
            for name, default in _DEFAULT_SECRETS.items():
                if getattr(self, name).get_secret_value() == default:
                    raise ValueError(f"GUARDCHAT_{name.upper()} must be set in production")
        return self

    @model_validator(mode="after")
    def _roles_apart(self) -> Settings:
        agent, auditor = self.agent_token.get_secret_value(), self.auditor_token.get_secret_value()
        if agent == auditor:
            raise ValueError("GUARDCHAT_AGENT_TOKEN and GUARDCHAT_AUDITOR_TOKEN must differ")
        if self.secret_key.get_secret_value() in (agent, auditor):
            raise ValueError("GUARDCHAT_SECRET_KEY must differ from the agent and auditor tokens")
        return self

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        if self.handoff_webhook_url and not self.handoff_webhook_secret:
            raise ValueError("GUARDCHAT_HANDOFF_WEBHOOK_SECRET must be set with a webhook URL")
        return self

    @property
    def resolved_adapter(self) -> str | None:
        """The adapter the model server applies, if any."""
        if self.adapter == NO_ADAPTER:
            return None
        if self.adapter:
            return self.adapter
        return str(SHIPPED_ADAPTER) if self.model == EMBEDDED_MODEL else None

    @property
    def secret_keys(self) -> list[str]:
        """The current secret key first, then the previous ones still accepted."""
        keys = [self.secret_key, *self.previous_secret_keys]
        return [key.get_secret_value() for key in keys]

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file named by `database_url` (only for sqlite URLs)."""
        return Path(self.database_url.removeprefix("sqlite:///"))

    @property
    def resolved_model_cache_dir(self) -> Path:
        """Where converted model copies and trained guard models are cached."""
        return self.model_cache_dir or self.var_dir / "models"

    @property
    def resolved_model_url(self) -> str:
        return self.model_url or f"http://{self.model_host}:{self.model_port}"


_DEFAULT_SECRETS = {
    "secret_key": DEV_SECRET,
    "agent_token": DEV_AGENT_TOKEN,
    "auditor_token": DEV_AUDITOR_TOKEN,
}


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment plus explicit overrides, or a `ConfigError`."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "settings"
        name = f"GUARDCHAT_{field.upper()}" if error["loc"] else "settings"
        lines.append(f"{name}: {error['msg']}")
    return "invalid configuration:\n  " + "\n  ".join(lines)
