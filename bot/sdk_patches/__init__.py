"""Where StageCoach replaces parts of the Bot Framework SDK, all written for botbuilder 4.17.1.

Each module says what the SDK does, why that was replaced and what stays the same:

* activity_codec: activities (de)serialised in a fraction of msrest's time, same JSON and models.
* transport: the connector clients' outbound HTTP on one aiohttp session, per-host connection limits.
* connector_factory: connector clients reused across turns; no UserTokenClient built per turn.
* turn_context: a TurnContext without a reference cycle per reply.
* signing_keys: the channel's token signing keys fetched without blocking, one fetch at a time.

The first four are classes the adapter (bot/adapter.py) and the HTTP edge use; signing_keys replaces
an SDK method, process-wide, in install(). They reach into the SDK's internals (private attributes and
methods), so install() refuses to start with any other SDK version than the one they were written
for: an upgrade must be checked against each module first (bench/ measures what they save).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from bot.sdk_patches import signing_keys

# The distributions whose internals the patches rely on, at the versions they were written for.
WRITTEN_FOR = {
    "botbuilder-core": "4.17.1",
    "botbuilder-integration-aiohttp": "4.17.1",
    "botbuilder-schema": "4.17.1",
    "botframework-connector": "4.17.1",
    "msrest": "0.7.1",
}


class SdkVersionError(RuntimeError):
    """An installed SDK package is not the version the patches were written for."""


def check_sdk_versions(written_for: dict[str, str] = WRITTEN_FOR) -> None:
    wrong = []
    for package, expected in written_for.items():
        try:
            installed = version(package)
        except PackageNotFoundError:
            installed = "not installed"
        if installed != expected:
            wrong.append(f"{package} {installed} (patches written for {expected})")
    if wrong:
        raise SdkVersionError(
            "bot/sdk_patches was written for other SDK versions: " + ", ".join(wrong) + ". Check each patch "
            "against the new version, then update WRITTEN_FOR in bot/sdk_patches/__init__.py."
        )


def install() -> None:
    """Check the SDK versions and apply the process-wide patches (idempotent)."""
    check_sdk_versions()
    signing_keys.install()
