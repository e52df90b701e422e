"""bot/sdk_patches: they run only on the SDK versions they were written for, and install() applies them."""

from __future__ import annotations

import pytest
from botframework.connector.auth.jwt_token_extractor import _OpenIdMetadata

from bot import sdk_patches
from bot.sdk_patches import WRITTEN_FOR, SdkVersionError, check_sdk_versions
from bot.sdk_patches.signing_keys import _get_signing_key


def test_the_pinned_sdk_is_the_one_the_patches_were_written_for() -> None:
    check_sdk_versions()  # constraints.txt pins exactly these


def test_another_sdk_version_is_refused_at_start_up_naming_the_package() -> None:
    with pytest.raises(SdkVersionError, match=r"botbuilder-core 4\.17\.1 \(patches written for 4\.18\.0\)"):
        check_sdk_versions({**WRITTEN_FOR, "botbuilder-core": "4.18.0"})
    with pytest.raises(SdkVersionError, match="no-such-package not installed"):
        check_sdk_versions({"no-such-package": "1.0"})


def test_install_replaces_the_sdks_key_fetching() -> None:
    sdk_patches.install()
    sdk_patches.install()  # idempotent
    assert _OpenIdMetadata.get is _get_signing_key
