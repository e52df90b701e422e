"""Build the insights store named by the INSIGHTS setting, which by default follows STATE_STORE."""

from __future__ import annotations

from pathlib import Path

from bot.insights.azure_blob import AzureBlobInsightsStore
from bot.insights.base import InsightsStore
from bot.insights.memory import MemoryInsightsStore
from bot.insights.sqlite import SqliteInsightsStore
from bot.storage.azure_blob import validate_container_name

INSIGHTS_SETTING = "INSIGHTS"
FOLLOW_STATE_STORE = "on"
OFF = "off"
ACCEPTED_FORMS = (
    "'on' (next to STATE_STORE), 'off', 'memory', 'sqlite:///relative/path.db', "
    "'sqlite:////absolute/path.db' or 'azureblob://<container>'"
)


def insights_location(setting: str, state_store: str) -> str | None:
    """The store URL the INSIGHTS setting means; None when insights are off.

    'on' puts them next to the state: sqlite:///data/state.db -> sqlite:///data/state-insights.db,
    azureblob://state -> azureblob://state-insights, memory -> memory.
    """
    value = setting.strip().lower() if setting.strip().lower() in (FOLLOW_STATE_STORE, OFF, "") else setting.strip()
    if value == OFF:
        return None
    if value not in (FOLLOW_STATE_STORE, ""):
        return value
    state = state_store.strip()
    if state.startswith("sqlite:///"):
        path = Path(state.removeprefix("sqlite:///"))
        return "sqlite:///" + str(path.with_name(f"{path.stem}-insights{path.suffix or '.db'}"))
    if state.startswith("azureblob://"):
        return f"azureblob://{state.removeprefix('azureblob://')}-insights"
    return "memory"


def create_insights_store(
    setting: str, state_store: str, azure_connection_string: str | None = None
) -> InsightsStore | None:
    """The store, or None when insights are off; ValueError naming the setting when it is wrong."""
    location = insights_location(setting, state_store)
    if location is None:
        return None
    if location == "memory":
        return MemoryInsightsStore()
    if location.startswith("sqlite:///"):
        path_text = location.removeprefix("sqlite:///")
        if not path_text or path_text.endswith("/"):
            raise _invalid(setting, "the SQLite file path is missing")
        return SqliteInsightsStore(Path.cwd() / path_text)
    if location.startswith("azureblob://"):
        try:
            container = validate_container_name(location.removeprefix("azureblob://"))
        except ValueError as exc:
            raise _invalid(setting, f"{exc}; set {INSIGHTS_SETTING}=azureblob://<container>") from None
        if not azure_connection_string:
            raise _invalid(setting, "Azure Blob needs the AZURE_STORAGE_CONNECTION_STRING setting")
        return AzureBlobInsightsStore(azure_connection_string, container)
    raise _invalid(setting, "unknown form")


def _invalid(setting: str, problem: str) -> ValueError:
    return ValueError(f"invalid {INSIGHTS_SETTING}={setting!r} ({problem}); accepted forms: {ACCEPTED_FORMS}")
