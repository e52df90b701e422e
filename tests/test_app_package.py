"""The Teams app package: manifest, icons and the zip that tools/build_package.py writes."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops

from tools import build_package, make_icons
from tools.build_package import PackageError, PackageSettings

APP_ID = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"
BOT_DOMAIN = "stagecoach.azurewebsites.net"
PACKAGE_FILES = {"manifest.json", "color.png", "outline.png"}

pytestmark = pytest.mark.skipif(
    not build_package.SCHEMA_ROOT.is_dir(),
    reason="Teams manifest schemas not installed (npm ci in tools/node)",
)


@pytest.fixture
def package_path(tmp_path: Path) -> Path:
    return build_package.build_package(
        PackageSettings(app_id=APP_ID, bot_domain=BOT_DOMAIN), output_path=tmp_path / "stagecoach.zip"
    )


@pytest.fixture
def manifest(package_path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(package_path) as package:
        return json.loads(package.read("manifest.json"))


def _icon(package_path: Path, name: str) -> Image.Image:
    with zipfile.ZipFile(package_path) as package:
        return Image.open(io.BytesIO(package.read(name))).convert("RGBA")


def test_built_manifest_validates_against_offline_schema(manifest: dict[str, Any]) -> None:
    assert manifest["manifestVersion"] == "1.24"
    assert build_package.manifest_problems(manifest) == []


@pytest.mark.parametrize(
    ("field", "bad_value", "expected_problem"),
    [
        ("accentColor", "blue", "accentColor:"),
        ("name", {"short": "S" * 31}, "name/short:"),
        ("validDomains", ["x"] * 17, "validDomains:"),
        ("$schema", "https://example.invalid/v1.24.json", "$schema should be"),
    ],
)
def test_manifest_problems_are_reported(
    manifest: dict[str, Any], field: str, bad_value: object, expected_problem: str
) -> None:
    problems = build_package.manifest_problems({**manifest, field: bad_value})
    assert any(problem.startswith(expected_problem) for problem in problems), problems


@pytest.mark.parametrize(
    ("schema", "bad_instance"),
    [
        ({"const": "1.24"}, "1.23"),  # draft-06 keyword the draft-04 Teams schemas rely on
        ({"if": {"const": 1}, "then": {"const": 2}}, 1),  # draft-07 keyword used from v1.27
        ({"format": "uri"}, "not a uri"),
    ],
)
def test_teams_schema_validator_enforces_newer_keywords(schema: dict[str, Any], bad_instance: object) -> None:
    validator = build_package.TeamsSchemaValidator(schema, format_checker=build_package.URI_FORMAT_CHECKER)
    assert not validator.is_valid(bad_instance)


def test_zip_holds_exactly_the_three_files_at_its_root(package_path: Path) -> None:
    with zipfile.ZipFile(package_path) as package:
        assert set(package.namelist()) == PACKAGE_FILES
        assert len(package.namelist()) == len(PACKAGE_FILES)


def test_build_is_reproducible(package_path: Path, tmp_path: Path) -> None:
    again = build_package.build_package(
        PackageSettings(app_id=APP_ID, bot_domain=BOT_DOMAIN), output_path=tmp_path / "again.zip"
    )
    assert again.read_bytes() == package_path.read_bytes()


def test_app_id_and_bot_id_are_the_microsoft_app_id(manifest: dict[str, Any]) -> None:
    assert manifest["id"] == APP_ID
    assert [bot["botId"] for bot in manifest["bots"]] == [APP_ID]
    assert "${{" not in json.dumps(manifest)


def test_every_bot_scope_has_one_command_list(manifest: dict[str, Any]) -> None:
    (bot,) = manifest["bots"]
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    listed_scopes = [scope for command_list in bot["commandLists"] for scope in command_list["scopes"]]
    assert sorted(listed_scopes) == sorted(bot["scopes"])
    assert all(command_list["commands"] for command_list in bot["commandLists"])
    assert bot["supportsFiles"] is False
    assert bot["isNotificationOnly"] is False


def test_valid_domains_hold_the_bot_domain(manifest: dict[str, Any]) -> None:
    assert manifest["validDomains"] == [BOT_DOMAIN]


def test_valid_domains_are_empty_without_a_bot_domain() -> None:
    template = {"validDomains": ["${{BOT_DOMAIN}}"], "id": "${{TEAMS_APP_ID}}"}
    rendered = build_package.render_manifest(template, PackageSettings(app_id=APP_ID))
    assert rendered == {"validDomains": [], "id": APP_ID}


def test_unknown_placeholder_is_rejected() -> None:
    with pytest.raises(PackageError, match="Unknown"):
        build_package.render_manifest({"name": "${{Unknown}}"}, PackageSettings(app_id=APP_ID))


def test_icons_have_teams_sizes(package_path: Path) -> None:
    assert _icon(package_path, "color.png").size == (192, 192)
    assert _icon(package_path, "outline.png").size == (32, 32)


def test_outline_icon_is_white_on_transparent(package_path: Path) -> None:
    pixels = _icon(package_path, "outline.png").get_flattened_data()
    assert any(pixel[3] == 0 for pixel in pixels)
    assert any(pixel[3] == 255 for pixel in pixels)
    assert all(pixel[:3] == (255, 255, 255) for pixel in pixels if pixel[3] > 0)


def test_color_icon_is_opaque(package_path: Path) -> None:
    alpha_values = {pixel[3] for pixel in _icon(package_path, "color.png").get_flattened_data()}
    assert alpha_values == {255}


def test_committed_icons_match_make_icons(tmp_path: Path) -> None:
    color_path, outline_path = make_icons.write_icons(tmp_path)
    for generated, committed in [(color_path, "color.png"), (outline_path, "outline.png")]:
        with Image.open(generated) as new, Image.open(build_package.APP_PACKAGE_DIR / committed) as old:
            assert new.mode == old.mode
            assert ImageChops.difference(new, old).getbbox() is None, f"run tools/make_icons.py ({committed})"


def test_icon_checks_reject_a_coloured_outline(tmp_path: Path) -> None:
    outline_path = tmp_path / "outline.png"
    Image.new("RGBA", (32, 32), (255, 0, 0, 255)).save(outline_path)
    problems = build_package.icon_problems(outline_path, "outline")
    assert any("transparent background" in problem for problem in problems)
    assert any("white" in problem for problem in problems)


@pytest.mark.parametrize("bad_app_id", ["not-a-guid", "6f1c2a9e3b4d4e5f8a7b9c0d1e2f3a4b", "{" + APP_ID + "}"])
def test_bad_app_id_is_rejected(bad_app_id: str, tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="not a GUID"):
        build_package.load_settings({"MicrosoftAppId": bad_app_id}, dotenv_path=tmp_path / ".env")


def test_bad_app_id_fails_the_cli_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MicrosoftAppId", "not-a-guid")
    output_path = tmp_path / "stagecoach.zip"
    assert build_package.main(["--output", str(output_path)]) == 1
    assert not output_path.exists()
    assert "not a GUID" in capsys.readouterr().err


def test_cli_without_app_id_warns_and_builds_with_the_placeholder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    monkeypatch.delenv("BOT_DOMAIN", raising=False)
    monkeypatch.setattr(build_package, "DOTENV_PATH", tmp_path / ".env")
    output_path = tmp_path / "stagecoach.zip"
    assert build_package.main(["--output", str(output_path)]) == 0
    assert build_package.PLACEHOLDER_APP_ID in capsys.readouterr().err
    with zipfile.ZipFile(output_path) as package:
        built = json.loads(package.read("manifest.json"))
    assert built["id"] == build_package.PLACEHOLDER_APP_ID
    assert built["validDomains"] == []


def test_bot_domain_with_a_scheme_is_rejected() -> None:
    with pytest.raises(PackageError, match="BOT_DOMAIN"):
        build_package.validate_bot_domain("https://stagecoach.azurewebsites.net/")


def test_missing_app_id_uses_the_placeholder(tmp_path: Path) -> None:
    settings = build_package.load_settings({}, dotenv_path=tmp_path / ".env")
    assert settings.app_id == build_package.PLACEHOLDER_APP_ID
    assert settings.uses_placeholder_app_id


def test_settings_come_from_dotenv_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv_path = tmp_path / ".env"
    dotenv_path.write_text(f'# bot\nMicrosoftAppId="{APP_ID}"\nBOT_DOMAIN={BOT_DOMAIN}\n', encoding="utf-8")
    assert build_package.load_settings({}, dotenv_path) == PackageSettings(APP_ID, BOT_DOMAIN)
    other_app_id = "11111111-2222-3333-4444-555555555555"
    from_env = build_package.load_settings({"MicrosoftAppId": other_app_id}, dotenv_path)
    assert from_env == PackageSettings(other_app_id, BOT_DOMAIN)


def test_the_agents_toolkit_names_win_teams_app_id_apart_from_the_bot_id(tmp_path: Path) -> None:
    """env/.env.dev after Provision: BOT_ID (the managed identity) and TEAMS_APP_ID (teamsApp/create)."""
    teams_app_id = "0b7e6a3c-1111-4222-8333-444455556666"
    env = {"BOT_ID": APP_ID, "TEAMS_APP_ID": teams_app_id, "MicrosoftAppId": "ignored-when-BOT_ID-is-set"}
    settings = build_package.load_settings(env, dotenv_path=tmp_path / ".env")
    assert settings == PackageSettings(APP_ID, "", teams_app_id)
    template = json.loads(build_package.MANIFEST_TEMPLATE_PATH.read_text(encoding="utf-8"))
    rendered = build_package.render_manifest(template, settings)
    assert rendered["id"] == teams_app_id and rendered["bots"][0]["botId"] == APP_ID


def test_a_teams_app_id_that_is_not_a_guid_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="TEAMS_APP_ID"):
        build_package.load_settings({"TEAMS_APP_ID": "my-app"}, dotenv_path=tmp_path / ".env")
