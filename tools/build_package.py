"""Build StageCoach's Teams app package: appPackage/build/stagecoach.zip.

Fills the manifest template (appPackage/manifest.json) from settings, validates the result against the
offline Teams manifest schema, checks the icons, and zips manifest.json, color.png and outline.png.

Settings come from the environment, or from KEY=VALUE lines in a .env file at the repo root:
  MicrosoftAppId  the bot's Microsoft App ID (a GUID): the manifest's botId (BOT_ID, as the Agents
                  Toolkit names it, is taken first)
  TEAMS_APP_ID    optional: the Teams app id (the toolkit's teamsApp/create writes it); without it the
                  app id is the bot's app id
  BOT_DOMAIN      optional: the bot's public host name, e.g. stagecoach.azurewebsites.net
The manifest's placeholders are the Agents Toolkit's (${{TEAMS_APP_ID}}, ${{BOT_ID}}, ${{BOT_DOMAIN}}),
so `make package` and the toolkit's teamsApp/zipAppPackage (m365agents.yml) fill in the same template.

Usage: python tools/build_package.py [--output PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from jsonschema import Draft4Validator, Draft7Validator, FormatChecker, validators
from PIL import Image
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import DRAFT4

REPO_ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGE_DIR = REPO_ROOT / "appPackage"
MANIFEST_TEMPLATE_PATH = APP_PACKAGE_DIR / "manifest.json"
DEFAULT_OUTPUT_PATH = APP_PACKAGE_DIR / "build" / "stagecoach.zip"
DOTENV_PATH = REPO_ROOT / ".env"
SCHEMA_ROOT = REPO_ROOT / "tools/node/node_modules/@microsoft/app-manifest/build/json-schemas/teams"
OFFICIAL_SCHEMA_BASE_URL = "https://developer.microsoft.com/json-schemas/teams/v{version}/"
MANIFEST_SCHEMA_FILENAME = "MicrosoftTeams.schema.json"

# Used when MicrosoftAppId is not set, so the package can still be built and validated locally.
PLACEHOLDER_APP_ID = "00000000-0000-0000-0000-000000000000"
GUID_PATTERN = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
# A host name (optionally a "*." wildcard, which validDomains allows); no scheme, port or path.
DOMAIN_PATTERN = re.compile(r"(?:\*\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")
PLACEHOLDER_PATTERN = re.compile(r"\$\{\{(\w+)\}\}")

ICON_SIZES = {"color": (192, 192), "outline": (32, 32)}
# A fixed timestamp makes the zip byte-for-byte reproducible (1980-01-01 is the earliest zip allows).
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


class PackageError(Exception):
    """A problem that stops the build; the message is written for the person running it."""


@dataclass(frozen=True)
class PackageSettings:
    app_id: str  # the bot's
    bot_domain: str = ""
    teams_app_id: str = ""  # empty: the bot's app id

    @property
    def manifest_id(self) -> str:
        return self.teams_app_id or self.app_id

    @property
    def uses_placeholder_app_id(self) -> bool:
        return self.app_id == PLACEHOLDER_APP_ID


def read_dotenv(path: Path) -> dict[str, str]:
    """Read simple KEY=VALUE lines; blank lines and # comments are skipped, surrounding quotes removed."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        key = key.removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def validate_app_id(app_id: str, name: str = "MicrosoftAppId") -> str:
    """Return the app id stripped of whitespace, or raise PackageError if it is not a GUID."""
    app_id = app_id.strip()
    if not GUID_PATTERN.fullmatch(app_id):
        raise PackageError(f"{name} {app_id!r} is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
    return app_id


def validate_bot_domain(bot_domain: str) -> str:
    """Return the host name, "" if unset, or raise PackageError if it is not a bare host name."""
    bot_domain = bot_domain.strip()
    if bot_domain and not DOMAIN_PATTERN.fullmatch(bot_domain):
        raise PackageError(
            f"BOT_DOMAIN {bot_domain!r} is not a host name; give it without https:// or a path, "
            "e.g. stagecoach.azurewebsites.net"
        )
    return bot_domain


def load_settings(environ: Mapping[str, str], dotenv_path: Path = DOTENV_PATH) -> PackageSettings:
    """Settings from the environment, falling back to the .env file; the environment wins."""
    values = {**read_dotenv(dotenv_path), **environ}
    app_id_name = "BOT_ID" if values.get("BOT_ID", "").strip() else "MicrosoftAppId"
    raw_app_id = values.get(app_id_name, "").strip()
    app_id = validate_app_id(raw_app_id, app_id_name) if raw_app_id else PLACEHOLDER_APP_ID
    raw_teams_app_id = values.get("TEAMS_APP_ID", "").strip()
    return PackageSettings(
        app_id=app_id,
        bot_domain=validate_bot_domain(values.get("BOT_DOMAIN", "")),
        teams_app_id=validate_app_id(raw_teams_app_id, "TEAMS_APP_ID") if raw_teams_app_id else "",
    )


def render_manifest(template: Mapping[str, Any], settings: PackageSettings) -> dict[str, Any]:
    """Replace ${{NAME}} placeholders; list items whose placeholder is unset are dropped."""
    substitutions = {
        "TEAMS_APP_ID": settings.manifest_id,
        "BOT_ID": settings.app_id,
        "BOT_DOMAIN": settings.bot_domain,
    }

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in substitutions:
            raise PackageError(f"manifest template uses unknown placeholder ${{{{{name}}}}}")
        return substitutions[name]

    def render(value: Any) -> Any:
        if isinstance(value, str):
            return PLACEHOLDER_PATTERN.sub(substitute, value)
        if isinstance(value, list):
            # An unset BOT_DOMAIN must leave validDomains empty rather than holding "".
            rendered = [(item, render(item)) for item in value]
            return [
                new
                for old, new in rendered
                if not (new == "" and isinstance(old, str) and PLACEHOLDER_PATTERN.search(old))
            ]
        if isinstance(value, dict):
            return {key: render(item) for key, item in value.items()}
        return value

    rendered = render(template)
    assert isinstance(rendered, dict)
    return rendered


def official_schema_url(manifest_version: str) -> str:
    return OFFICIAL_SCHEMA_BASE_URL.format(version=manifest_version) + MANIFEST_SCHEMA_FILENAME


def load_manifest_schema(manifest_version: str, schema_root: Path = SCHEMA_ROOT) -> dict[str, Any]:
    schema_path = schema_root / f"v{manifest_version}" / MANIFEST_SCHEMA_FILENAME
    if not schema_path.is_file():
        raise PackageError(
            f"Teams manifest schema v{manifest_version} not found at {schema_path}; "
            "install the Node tools with `npm ci --prefix tools/node`"
        )
    return json.loads(schema_path.read_text(encoding="utf-8"))


def _refuse_remote_schema(uri: str) -> Resource:
    # Validation must work offline and must not depend on whatever a URL serves today.
    raise NoSuchResource(ref=uri)


def _local_schema_registry(manifest_version: str, schema_root: Path) -> Registry:
    """Every schema of this manifest version, under its official URL, so any $ref resolves locally."""
    registry: Registry = Registry(retrieve=_refuse_remote_schema)
    base_url = OFFICIAL_SCHEMA_BASE_URL.format(version=manifest_version)
    for schema_path in sorted((schema_root / f"v{manifest_version}").glob("*.schema.json")):
        contents = json.loads(schema_path.read_text(encoding="utf-8"))
        registry = registry.with_resource(base_url + schema_path.name, DRAFT4.create_resource(contents))
    return registry


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = urlparse(value)
    return bool(parsed.scheme and parsed.netloc)


# The Teams schemas declare draft-04 but use "const" (draft-06) and, from v1.27, "if" (draft-07).
# Microsoft's own validator (ajv-draft-04) enforces both, so add them to the draft-04 keywords.
TeamsSchemaValidator = validators.extend(
    Draft4Validator,
    {"const": Draft7Validator.VALIDATORS["const"], "if": Draft7Validator.VALIDATORS["if"]},
)
# Only "uri" is used by the schemas; jsonschema checks it only with optional extras, so check it here.
URI_FORMAT_CHECKER = FormatChecker(formats=())
URI_FORMAT_CHECKER.checks("uri")(_is_uri)


def manifest_problems(manifest: Mapping[str, Any], schema_root: Path = SCHEMA_ROOT) -> list[str]:
    """Everything wrong with the manifest according to its offline schema; empty if it is valid."""
    manifest_version = manifest.get("manifestVersion")
    if not isinstance(manifest_version, str):
        return ["manifestVersion is missing"]
    problems = []
    expected_schema_url = official_schema_url(manifest_version)
    if manifest.get("$schema") != expected_schema_url:
        problems.append(f"$schema should be {expected_schema_url} to match manifestVersion {manifest_version}")
    validator = TeamsSchemaValidator(
        load_manifest_schema(manifest_version, schema_root),
        registry=_local_schema_registry(manifest_version, schema_root),
        format_checker=URI_FORMAT_CHECKER,
    )
    try:
        errors = sorted(validator.iter_errors(manifest), key=lambda error: list(map(str, error.path)))
    except Unresolvable as error:
        raise PackageError(
            f"the Teams schema v{manifest_version} has a $ref that is not available offline: {error}"
        ) from error
    for error in errors:
        location = "/".join(map(str, error.absolute_path)) or "(manifest root)"
        problems.append(f"{location}: {error.message}")
    return problems


def icon_problems(icon_path: Path, kind: str) -> list[str]:
    """What Teams would reject about a "color" or "outline" icon; empty if it is fine."""
    if not icon_path.is_file():
        return [f"{kind} icon {icon_path.name} is missing"]
    problems = []
    with Image.open(icon_path) as opened:
        if opened.format != "PNG":
            problems.append(f"{kind} icon {icon_path.name} is not a PNG")
        if opened.size != ICON_SIZES[kind]:
            width, height = ICON_SIZES[kind]
            problems.append(f"{kind} icon {icon_path.name} is {opened.size[0]}x{opened.size[1]}, not {width}x{height}")
        icon = opened.convert("RGBA")
    pixels = icon.get_flattened_data()
    alpha_values = {pixel[3] for pixel in pixels}
    if kind == "color" and alpha_values != {255}:
        problems.append(f"color icon {icon_path.name} must be opaque")
    if kind == "outline":
        if 0 not in alpha_values:
            problems.append(f"outline icon {icon_path.name} needs a transparent background")
        if any(pixel[3] > 0 and pixel[:3] != (255, 255, 255) for pixel in pixels):
            problems.append(f"outline icon {icon_path.name} must be white on transparent only")
    return problems


def write_package(manifest: Mapping[str, Any], icon_dir: Path, output_path: Path) -> Path:
    """Zip manifest.json and the icons it names, all at the zip root, reproducibly."""
    entries = {"manifest.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")}
    for kind in ICON_SIZES:
        icon_name = manifest["icons"][kind]
        entries[icon_name] = (icon_dir / icon_name).read_bytes()
    output_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output_path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            package.writestr(entry, data)
    return output_path


def build_package(
    settings: PackageSettings,
    output_path: Path = DEFAULT_OUTPUT_PATH,
    template_path: Path = MANIFEST_TEMPLATE_PATH,
    schema_root: Path = SCHEMA_ROOT,
) -> Path:
    """Render, validate and zip the app package; raises PackageError and writes nothing if invalid."""
    template = json.loads(template_path.read_text(encoding="utf-8"))
    manifest = render_manifest(template, settings)
    problems = manifest_problems(manifest, schema_root)
    icon_dir = template_path.parent
    for kind in ICON_SIZES:
        icon_name = manifest.get("icons", {}).get(kind, "")
        # Teams looks for the icons at the zip root, so the manifest must name bare files.
        if not icon_name or Path(icon_name).name != icon_name:
            problems.append(f"icons/{kind} must name a file next to manifest.json, not {icon_name!r}")
        else:
            problems += icon_problems(icon_dir / icon_name, kind)
    if problems:
        raise PackageError("the app package is not valid:\n  " + "\n  ".join(problems))
    return write_package(manifest, icon_dir, output_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build StageCoach's Teams app package.")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT_PATH, help="where to write the zip")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(os.environ, DOTENV_PATH)
        if settings.uses_placeholder_app_id:
            print(
                "build_package: warning: MicrosoftAppId is not set; using the placeholder "
                f"{PLACEHOLDER_APP_ID}. The package validates, but Teams cannot reach a bot with this id.",
                file=sys.stderr,
            )
        output_path = build_package(settings, output_path=args.output)
    except PackageError as error:
        print(f"build_package: error: {error}", file=sys.stderr)
        return 1
    print(f"build_package: wrote {output_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
