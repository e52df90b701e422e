"""Build the state storage named by the STATE_STORE setting."""

from __future__ import annotations

from pathlib import Path

from azure.identity.aio import ManagedIdentityCredential

from bot.storage.azure_blob import AzureBlobStorage, validate_container_name
from bot.storage.base import StateStorage
from bot.storage.memory import MemoryStorage
from bot.storage.sqlite import DEFAULT_TTL_SECONDS, SqliteStorage

STATE_STORE_SETTING = "STATE_STORE"
AZURE_CONNECTION_STRING_SETTING = "AZURE_STORAGE_CONNECTION_STRING"
AZURE_ACCOUNT_URL_SETTING = "AZURE_STORAGE_ACCOUNT_URL"
DEFAULT_STATE_STORE = "sqlite:///data/state.db"

_SQLITE_PREFIX = "sqlite:///"
_AZURE_BLOB_PREFIX = "azureblob://"
ACCEPTED_FORMS = (
    "'memory', 'sqlite:///relative/path.db' (relative to the working directory), "
    "'sqlite:////absolute/path.db' or 'azureblob://<container>'"
)


def create_storage(
    setting: str,
    azure_connection_string: str | None = None,
    ttl_seconds: float | None = DEFAULT_TTL_SECONDS,
    *,
    azure_account_url: str | None = None,
    azure_client_id: str | None = None,
) -> StateStorage:
    """Parse a STATE_STORE value; raise ValueError naming the accepted forms when it is wrong.

    ``ttl_seconds`` applies to SQLite only (for Azure, use a lifecycle management rule).
    Azure Blob signs in with the connection string if there is one, else with the managed identity
    (``azure_client_id``: a user-assigned one; None: the system-assigned one) at ``azure_account_url``.
    """
    value = setting.strip()
    if value == "memory":
        return MemoryStorage()
    if value.startswith(_SQLITE_PREFIX):
        return SqliteStorage(_sqlite_path(value, setting), ttl_seconds=ttl_seconds)
    if value.startswith(_AZURE_BLOB_PREFIX):
        container = _azure_container(value, setting)
        if azure_connection_string:
            return AzureBlobStorage(azure_connection_string, container)
        if azure_account_url:
            credential = ManagedIdentityCredential(client_id=azure_client_id)
            return AzureBlobStorage(None, container, account_url=azure_account_url, credential=credential)
        raise ValueError(
            f"{STATE_STORE_SETTING}={setting!r} needs the {AZURE_ACCOUNT_URL_SETTING} setting "
            f"(with a managed identity) or {AZURE_CONNECTION_STRING_SETTING}"
        )
    if value.startswith("sqlite:"):
        raise _invalid_setting(
            setting, "SQLite needs three slashes before a relative path, four before an absolute one"
        )
    raise _invalid_setting(setting, "unknown form")


def _sqlite_path(value: str, setting: str) -> Path:
    # "sqlite:///data/state.db" -> "data/state.db"; "sqlite:////srv/state.db" -> "/srv/state.db".
    path_text = value.removeprefix(_SQLITE_PREFIX)
    if not path_text or path_text.endswith("/"):
        raise _invalid_setting(setting, "the SQLite file path is missing")
    # Resolved now, so a later chdir does not move the database.
    return Path.cwd() / path_text


def _azure_container(value: str, setting: str) -> str:
    container = value.removeprefix(_AZURE_BLOB_PREFIX)
    try:
        return validate_container_name(container)
    except ValueError as exc:
        raise _invalid_setting(setting, str(exc)) from None


def _invalid_setting(setting: str, problem: str) -> ValueError:
    return ValueError(f"invalid {STATE_STORE_SETTING}={setting!r} ({problem}); accepted forms: {ACCEPTED_FORMS}")
