from pathlib import Path

import pytest

from service.cli import main
from service.config import ConfigError, load_settings


def test_unknown_database_scheme_is_refused_with_the_variable_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GUARDCHAT_DATABASE_URL", "mysql://localhost/db")
    with pytest.raises(ConfigError, match="GUARDCHAT_DATABASE_URL"):
        load_settings(_env_file=None)


def test_production_refuses_default_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUARDCHAT_ENVIRONMENT", "production")
    with pytest.raises(ConfigError, match="GUARDCHAT_SECRET_KEY must be set"):
        load_settings(_env_file=None)


def test_production_accepts_real_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUARDCHAT_ENVIRONMENT", "production")
    for name in ("SECRET_KEY", "AGENT_TOKEN", "AUDITOR_TOKEN"):
        monkeypatch.setenv(f"GUARDCHAT_{name}", f"real-{name.lower()}-value")
    assert load_settings(_env_file=None).environment == "production"


def test_cors_origins_are_read_as_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUARDCHAT_CORS_ORIGINS", "https://shop.example, https://www.shop.example")
    settings = load_settings(_env_file=None)
    assert settings.cors_origins == ["https://shop.example", "https://www.shop.example"]


def test_agent_and_auditor_tokens_must_differ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUARDCHAT_AGENT_TOKEN", "one-token-for-both")
    monkeypatch.setenv("GUARDCHAT_AUDITOR_TOKEN", "one-token-for-both")
    with pytest.raises(ConfigError, match="must differ"):
        load_settings(_env_file=None)


def test_previous_secret_keys_follow_the_current_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUARDCHAT_SECRET_KEY", "new-key")
    monkeypatch.setenv("GUARDCHAT_PREVIOUS_SECRET_KEYS", "old-key, older-key")
    assert load_settings(_env_file=None).secret_keys == ["new-key", "old-key", "older-key"]


def test_redis_url_must_be_a_redis_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUARDCHAT_REDIS_URL", "memcached://127.0.0.1:11211")
    with pytest.raises(ConfigError, match="GUARDCHAT_REDIS_URL"):
        load_settings(_env_file=None)


def test_settings_are_read_from_dotenv(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("GUARDCHAT_MAX_MESSAGE_CHARS=321\n")
    assert load_settings(_env_file=env_file).max_message_chars == 321


def test_model_cache_is_under_var_unless_named(tmp_path: Path) -> None:
    default = load_settings(_env_file=None, var_dir=tmp_path)
    named = load_settings(_env_file=None, var_dir=tmp_path, model_cache_dir=tmp_path / "cache")
    assert default.resolved_model_cache_dir == tmp_path / "models"
    assert named.resolved_model_cache_dir == tmp_path / "cache"


def test_model_server_with_unknown_model_path_exits_nonzero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["model-server", "--model", str(tmp_path / "no-such-model")])
    assert status == 2
    assert "GUARDCHAT_MODEL" in capsys.readouterr().err


def test_serve_with_bad_database_url_exits_nonzero(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GUARDCHAT_DATABASE_URL", "oracle://nowhere")
    assert main(["serve", "--model-url", "http://127.0.0.1:9"]) == 2
    assert "GUARDCHAT_DATABASE_URL" in capsys.readouterr().err
