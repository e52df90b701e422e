"""Settings from the environment (and an optional .env file), named as in the Bot Framework samples."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from botbuilder.schema import CallerIdConstants
from botframework.connector.auth import AuthenticationConstants

from bot.auth import TokenPolicy
from bot.insights import DEFAULT_RETENTION_DAYS
from bot.storage import DEFAULT_STATE_STORE, DEFAULT_TTL_SECONDS

LOCAL_HOST = "127.0.0.1"

# MicrosoftAppType values, as the SDK spells them (it compares them lower-cased). New multi-tenant bot
# registrations have been refused since July 2025: a deployed bot is SingleTenant or UserAssignedMSI.
MULTI_TENANT = "MultiTenant"
SINGLE_TENANT = "SingleTenant"
USER_ASSIGNED_MSI = "UserAssignedMSI"
APP_TYPES = (MULTI_TENANT, SINGLE_TENANT, USER_ASSIGNED_MSI)
# What each app type needs besides MicrosoftAppId (the SDK would raise a bare Exception at start-up).
_REQUIRED_FOR_APP_TYPE = {
    SINGLE_TENANT: ("MicrosoftAppPassword", "MicrosoftAppTenantId"),
    USER_ASSIGNED_MSI: ("MicrosoftAppTenantId",),
}


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines and # comments are skipped; quotes around a value are removed."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


class ConfigError(ValueError):
    """A setting is wrong; the message names it."""


@dataclass(frozen=True)
class Settings:
    # Names the Bot Framework SDK reads from its configuration object.
    APP_ID: str = ""
    APP_PASSWORD: str = ""
    APP_TYPE: str = MULTI_TENANT
    APP_TENANTID: str = ""
    port: int = 3978
    host: str = LOCAL_HOST
    allow_unauthenticated_public: bool = False
    state_store: str = DEFAULT_STATE_STORE
    azure_connection_string: str | None = None
    # Azure Blob with a managed identity instead of a connection string (the deployment in infra/).
    azure_account_url: str | None = None
    azure_client_id: str | None = None  # the user-assigned identity's client id; None: system-assigned
    state_ttl_seconds: int = DEFAULT_TTL_SECONDS
    log_message_text: bool = False
    insights: str = "on"  # "on" (next to the state store), "off", or a store URL (bot/insights/factory.py)
    insights_retention_seconds: int = DEFAULT_RETENTION_DAYS * 86400
    max_body_bytes: int = 256 * 1024
    openid_metadata_url: str | None = None  # tests point this at a local OpenID endpoint
    allow_emulator_tokens: bool = False  # Bot Framework Emulator tokens (Azure AD issuer), with an app id

    @property
    def authenticated(self) -> bool:
        return bool(self.APP_ID)

    def token_policy(self) -> TokenPolicy | None:
        """The token checks we add to the SDK's; None without an app id (no tokens are checked)."""
        if not self.authenticated:
            return None
        issuer = self.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER or AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
        return TokenPolicy(channel_issuer=issuer, allow_emulator_tokens=self.allow_emulator_tokens)

    # ConfigurationBotFrameworkAuthentication reads these with getattr.
    @property
    def TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL(self) -> str | None:
        return self.openid_metadata_url

    @property
    def TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL(self) -> str | None:
        return self.openid_metadata_url

    # Any of these set makes the SDK use its "parameterized" authentication, which takes every endpoint
    # from here: with only the metadata URL set it would demand tokens whose issuer is None (so reject
    # every real token) and build outbound credentials without a login URL. Unset (None), the SDK uses
    # its public-cloud defaults, so these mirror exactly those, and only when the metadata URL is overridden.
    def _public_cloud(self, value: str) -> str | None:
        return value if self.openid_metadata_url else None

    @property
    def TO_BOT_FROM_CHANNEL_TOKEN_ISSUER(self) -> str | None:
        return self._public_cloud(AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER)

    @property
    def TO_CHANNEL_FROM_BOT_LOGIN_URL(self) -> str | None:
        return self._public_cloud(AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX)

    @property
    def TO_CHANNEL_FROM_BOT_OAUTH_SCOPE(self) -> str | None:
        return self._public_cloud(AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE)

    @property
    def OAUTH_URL(self) -> str | None:
        return self._public_cloud(AuthenticationConstants.OAUTH_URL)

    @property
    def CALLER_ID(self) -> str | None:
        return self._public_cloud(CallerIdConstants.public_azure_channel)


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def _positive(env: dict[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value < 1:
        raise ConfigError(f"{name} must be 1 or more, not {value}")
    return value


def _app_type(env: dict[str, str]) -> str:
    """MicrosoftAppType in the SDK's spelling; ConfigError naming what is missing or wrong."""
    raw = env.get("MicrosoftAppType", "").strip() or MULTI_TENANT
    app_type = next((known for known in APP_TYPES if known.lower() == raw.lower()), None)
    if app_type is None:
        raise ConfigError(f"MicrosoftAppType must be one of {', '.join(APP_TYPES)}, not {raw!r}")
    required = _REQUIRED_FOR_APP_TYPE.get(app_type, ())
    missing = [name for name in ("MicrosoftAppId", *required) if not env.get(name, "").strip()]
    if app_type != MULTI_TENANT and missing:
        raise ConfigError(f"MicrosoftAppType={app_type} needs {' and '.join(missing)}")
    return app_type


def _https_url(env: dict[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    if value and not value.lower().startswith("https://"):
        raise ConfigError(f"{name} must be an https:// URL (a token is never sent over plain HTTP), not {value!r}")
    return value or None


def load_settings(environ: dict[str, str] | None = None, env_file: Path | None = Path(".env")) -> Settings:
    """Settings from a .env file overlaid by the real environment (the environment wins)."""
    env = read_env_file(env_file) if env_file else {}
    env.update(os.environ if environ is None else environ)
    app_id = env.get("MicrosoftAppId", "").strip()
    host = env.get("HOST", "").strip() or LOCAL_HOST
    allow_public = _flag(env.get("ALLOW_UNAUTHENTICATED_PUBLIC"))
    if not app_id and host not in (LOCAL_HOST, "localhost", "::1") and not allow_public:
        raise ConfigError(
            f"HOST={host} would expose the bot without authentication (MicrosoftAppId is empty). "
            "Set MicrosoftAppId, or set ALLOW_UNAUTHENTICATED_PUBLIC=true if you really mean it."
        )
    port = _int(env, "PORT", 3978)
    if not 0 < port < 65536:
        raise ConfigError(f"PORT must be between 1 and 65535, not {port}")
    return Settings(
        APP_ID=app_id,
        APP_PASSWORD=env.get("MicrosoftAppPassword", ""),
        APP_TYPE=_app_type(env),
        APP_TENANTID=env.get("MicrosoftAppTenantId", "").strip(),
        port=port,
        host=host,
        allow_unauthenticated_public=allow_public,
        state_store=env.get("STATE_STORE", "") or DEFAULT_STATE_STORE,
        azure_connection_string=env.get("AZURE_STORAGE_CONNECTION_STRING") or None,
        azure_account_url=_https_url(env, "AZURE_STORAGE_ACCOUNT_URL"),
        azure_client_id=env.get("AZURE_CLIENT_ID", "").strip() or None,
        state_ttl_seconds=_positive(env, "STATE_TTL_DAYS", DEFAULT_TTL_SECONDS // 86400) * 86400,
        log_message_text=_flag(env.get("LOG_MESSAGE_TEXT")),
        insights=env.get("INSIGHTS", "").strip() or "on",
        insights_retention_seconds=_positive(env, "INSIGHTS_RETENTION_DAYS", DEFAULT_RETENTION_DAYS) * 86400,
        max_body_bytes=_positive(env, "MAX_BODY_BYTES", 256 * 1024),
        openid_metadata_url=env.get("BOTFRAMEWORK_OPENID_METADATA_URL") or None,
        allow_emulator_tokens=_flag(env.get("ALLOW_EMULATOR_TOKENS")),
    )
