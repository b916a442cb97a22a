"""Settings: environment variables first, then `comptoir.toml`, then embedded defaults."""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from commerce import days

DEFAULT_DATABASE_URL = "sqlite:///var/comptoir.db"
DEFAULT_SECRET_KEY = "dev-secret-change-me"  # tests only: load_settings never leaves it in place


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    http_listen: str = "127.0.0.1:8080"
    smtp_listen: str = "127.0.0.1:2525"
    mail_domains: tuple[str, ...] = ()  # empty: any recipient domain (the embedded listener is local)
    from_address: str = "Comptoir <commandes@comptoir.localhost>"
    smtp_relay: str | None = None
    maildir: str = "var/mail"
    secret_key: str = DEFAULT_SECRET_KEY
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str | None = None
    slack_leads_channel: str | None = None
    slack_purchasing_channel: str | None = None
    purchasing_email: str | None = None  # restock alerts by mail (also when Slack is off)
    stock_drop_dir: str | None = None  # a folder where the ERP drops stock CSV files
    stock_drop_minutes: float = 60
    public_url: str = ""  # base of links in messages; defaults to http://<http_listen>
    rep_authority_pct: str = "10"  # the extra discount a sales rep may grant on their own
    approval_expiry_hours: float = 72
    approval_reminder_hours: float = 24
    conversation_ttl_hours: float = 72
    credit_hold_hours: float = 72
    quote_validity_days: int = 30
    quote_review_threshold_ht: str = "5000"
    smtp_max_size: int = 10 * 1024 * 1024
    trusted_authserv_id: str | None = None  # require dkim/spf=pass from it before ordering
    timezone: str = "Europe/Paris"  # the distributor's days: monthly limits, promotions, quote validity
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def mail_domain(self) -> str:
        """The domain of our own Message-IDs: the one of the From address."""
        return self.from_address.rpartition("@")[2].strip(" >").lower() or "comptoir.localhost"

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.http_listen}").rstrip("/")

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token and (self.slack_signing_secret or self.slack_app_token))


ENV_NAMES = {
    "database_url": "COMPTOIR_DATABASE_URL",
    "http_listen": "COMPTOIR_HTTP_LISTEN",
    "smtp_listen": "COMPTOIR_SMTP_LISTEN",
    "mail_domains": "COMPTOIR_MAIL_DOMAINS",
    "from_address": "COMPTOIR_FROM",
    "smtp_relay": "COMPTOIR_SMTP_RELAY",
    "maildir": "COMPTOIR_MAILDIR",
    "secret_key": "COMPTOIR_SECRET_KEY",
    "slack_bot_token": "SLACK_BOT_TOKEN",
    "slack_signing_secret": "SLACK_SIGNING_SECRET",
    "slack_app_token": "SLACK_APP_TOKEN",
    "slack_api_url": "COMPTOIR_SLACK_API_URL",
    "slack_leads_channel": "COMPTOIR_SLACK_LEADS_CHANNEL",
    "slack_purchasing_channel": "COMPTOIR_SLACK_PURCHASING_CHANNEL",
    "purchasing_email": "COMPTOIR_PURCHASING_EMAIL",
    "stock_drop_dir": "COMPTOIR_STOCK_DROP_DIR",
    "stock_drop_minutes": "COMPTOIR_STOCK_DROP_MINUTES",
    "public_url": "COMPTOIR_PUBLIC_URL",
    "rep_authority_pct": "COMPTOIR_REP_AUTHORITY_PCT",
    "approval_expiry_hours": "COMPTOIR_APPROVAL_EXPIRY_HOURS",
    "approval_reminder_hours": "COMPTOIR_APPROVAL_REMINDER_HOURS",
    "conversation_ttl_hours": "COMPTOIR_CONVERSATION_TTL_HOURS",
    "credit_hold_hours": "COMPTOIR_CREDIT_HOLD_HOURS",
    "quote_validity_days": "COMPTOIR_QUOTE_VALIDITY_DAYS",
    "quote_review_threshold_ht": "COMPTOIR_QUOTE_REVIEW_THRESHOLD_HT",
    "smtp_max_size": "COMPTOIR_SMTP_MAX_SIZE",
    "trusted_authserv_id": "COMPTOIR_TRUSTED_AUTHSERV_ID",
    "timezone": "COMPTOIR_TIMEZONE",
}
NUMBERS = {"approval_expiry_hours": float, "approval_reminder_hours": float,
           "conversation_ttl_hours": float, "credit_hold_hours": float, "quote_validity_days": int, "stock_drop_minutes": float,
           "smtp_max_size": int}


def load_settings(
    environ: Mapping[str, str] | None = None, config_file: str | Path = "comptoir.toml"
) -> Settings:
    environ = os.environ if environ is None else environ
    from_file: dict[str, object] = {}
    path = Path(environ.get("COMPTOIR_CONFIG", config_file))
    if path.is_file():
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        # Accept both `database_url = ...` and the environment names as keys.
        by_env = {env: name for name, env in ENV_NAMES.items()}
        for key, value in data.items():
            name = by_env.get(key.upper(), key.lower())
            from_file[name] = value
    values: dict[str, object] = {}
    for spec in fields(Settings):
        if spec.name == "extra":
            continue
        env_name = ENV_NAMES[spec.name]
        raw = environ.get(env_name)
        value = raw if raw not in (None, "") else from_file.get(spec.name)
        if value is None:
            continue
        if spec.name == "mail_domains":
            items = value.split(",") if isinstance(value, str) else list(value)
            value = tuple(d.strip().lower() for d in items if d.strip())
        if spec.name in NUMBERS:
            value = NUMBERS[spec.name](value)
        values[spec.name] = value
    if not values.get("secret_key"):
        # no key configured: one of our own, made on first run and kept (every process of this
        # installation signs and checks links with it; no two installations share one)
        values["secret_key"] = stored_secret(Path(environ.get("COMPTOIR_VAR_DIR") or "var"))
    settings = Settings(**values)
    days.configure(settings.timezone)  # one calendar for the whole process
    return settings


def stored_secret(folder: Path) -> str:
    """The installation's signing key in `folder/secret.key` (mode 0600), created if missing."""
    path = folder / "secret.key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(key + "\n")
    return key
