"""The deployment files, checked offline: the Agents Toolkit lifecycle YAML against the toolkit's
published schema (check-jsonschema), every Bicep file parsed (pycep) and scanned (checkov), the
Dockerfile linted (hadolint) and scanned (checkov), and each cross-checked against the code it
deploys: the app settings against what bot/config.py reads, the toolkit's ${{VARIABLES}} against
where they come from, .webappignore against the files the bot needs.

The validators live in .venv-tools (the Makefile builds it; checkov's pins clash with the bot's).
Nothing here can run Bicep or Docker: no Bicep compiler or container engine can be installed here.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools import webapp_zip

REPO_ROOT = Path(__file__).resolve().parent.parent
TOOLS_BIN = REPO_ROOT / ".venv-tools" / "bin"
TEAMSFX_CORE = REPO_ROOT / "tools/node/node_modules/@microsoft/teamsfx-core"
LIFECYCLE_FILES = sorted(REPO_ROOT.glob("m365agents*.yml"))
BICEP_FILES = sorted((REPO_ROOT / "infra").rglob("*.bicep"))
DOCKERFILE = REPO_ROOT / "Dockerfile"
CHECK_BICEP = REPO_ROOT / "tools/validators/check_bicep.py"
VALIDATOR_TIMEOUT_SECONDS = 300


def tool(name: str) -> str:
    path = TOOLS_BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make deps` (it builds .venv-tools from tools/validators/)")
    return str(path)


def run(*command: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=VALIDATOR_TIMEOUT_SECONDS, check=False
    )


# --- the Agents Toolkit project --------------------------------------------------------------------


def lifecycle_schema(lifecycle_file: Path) -> Path:
    """The toolkit's schema for the version the file declares (resource/yaml-schema/<version>/)."""
    version = yaml.safe_load(lifecycle_file.read_text(encoding="utf-8"))["version"]
    schema = TEAMSFX_CORE / "resource/yaml-schema" / version / "yaml.schema.json"
    if not schema.is_file():
        pytest.fail(f"{schema} is missing: run `make deps` (npm @microsoft/teamsfx-core in tools/node)")
    return schema


def test_there_are_the_lifecycle_files_the_toolkit_looks_for() -> None:
    assert [path.name for path in LIFECYCLE_FILES] == ["m365agents.playground.yml", "m365agents.yml"]


@pytest.mark.parametrize("lifecycle_file", LIFECYCLE_FILES, ids=lambda path: path.name)
def test_lifecycle_yaml_matches_the_toolkits_published_schema(lifecycle_file: Path) -> None:
    result = run(tool("check-jsonschema"), "--schemafile", str(lifecycle_schema(lifecycle_file)), str(lifecycle_file))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_refuses_an_action_the_toolkit_does_not_have(tmp_path: Path) -> None:
    lifecycle_file = REPO_ROOT / "m365agents.yml"
    broken = tmp_path / "m365agents.yml"
    broken.write_text(lifecycle_file.read_text(encoding="utf-8").replace("teamsApp/update", "teamsApp/upgrade"))
    result = run(tool("check-jsonschema"), "--schemafile", str(lifecycle_schema(lifecycle_file)), str(broken))
    assert result.returncode == 1 and "provision" in result.stdout


def lifecycle(name: str = "m365agents.yml") -> dict[str, Any]:
    return yaml.safe_load((REPO_ROOT / name).read_text(encoding="utf-8"))


def test_provision_and_deploy_run_the_actions_of_the_python_bot_template() -> None:
    project = lifecycle()
    assert [step["uses"] for step in project["provision"]] == [
        "teamsApp/create",
        "arm/deploy",
        "teamsApp/zipAppPackage",
        "teamsApp/validateAppPackage",
        "teamsApp/update",
    ]
    [deploy] = project["deploy"]
    assert deploy["uses"] == "azureAppService/zipDeploy"
    assert deploy["with"]["ignoreFile"] == ".webappignore"
    [template] = project["provision"][1]["with"]["templates"]
    assert (REPO_ROOT / template["path"]).is_file() and (REPO_ROOT / template["parameters"]).is_file()
    assert (REPO_ROOT / project["provision"][2]["with"]["manifestPath"]) == REPO_ROOT / "appPackage/manifest.json"


def env_file(name: str) -> dict[str, str]:
    values = {}
    for line in (REPO_ROOT / "env" / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\$\{\{(\w+)\}\}", text))


def test_every_variable_the_toolkit_fills_in_has_a_source() -> None:
    """Each ${{NAME}} in the lifecycle file, the parameters and the manifest is in env/.env.dev, or is
    written by an earlier action, or is an output of the Bicep deployment."""
    texts = [
        (REPO_ROOT / name).read_text(encoding="utf-8")
        for name in ("m365agents.yml", "infra/azure.parameters.json", "appPackage/manifest.json")
    ]
    used = set().union(*(placeholders(text) for text in texts))
    written = {
        name
        for step in lifecycle()["provision"] + lifecycle()["publish"]
        for name in (step.get("writeToEnvironmentFile") or {}).values()
    }
    outputs = set(bicep_tree("infra/azure.bicep")["outputs"])
    unexplained = used - set(env_file(".env.dev")) - written - outputs
    assert used >= {"TEAMS_APP_ID", "BOT_ID", "BOT_DOMAIN", "BOT_AZURE_APP_SERVICE_RESOURCE_ID"}
    assert unexplained == set()


def test_committed_environment_files_hold_no_secret_and_user_files_are_ignored() -> None:
    for path in sorted((REPO_ROOT / "env").glob(".env.*")):
        for key, value in env_file(path.name).items():
            assert not re.search(r"SECRET|PASSWORD|KEY|CONNECTION_STRING", key) or not value, (path.name, key)
    ignored = run("git", "check-ignore", "env/.env.dev.user", "env/.env.local", ".venv-tools/", "devTools/")
    assert ignored.returncode == 0 and len(ignored.stdout.split()) == 4, ignored.stdout + ignored.stderr
    assert run("git", "check-ignore", "env/.env.dev").returncode == 1  # committed


def tracked_files() -> list[str]:
    return run("git", "ls-files").stdout.split()


def test_webappignore_leaves_out_tests_tools_and_artifacts_and_keeps_what_the_bot_runs() -> None:
    ignore = webapp_zip.webappignore()
    deployed = webapp_zip.deployed_files()
    assert not [path for path in deployed if path.split("/")[0] in ("tests", "tools", "bench", "infra", "env")]
    for path in ("artifacts/cards/x.png", ".venv/bin/python", ".venv-tools/bin/checkov", "data/state.db", ".env"):
        assert ignore.match_file(path), path
    needed = ["app.py", "requirements.txt", "constraints.txt", "pyproject.toml", "README.md"]
    needed += [path for path in tracked_files() if path.split("/")[0] in ("bot", "dialogs", "cards")]
    needed += [path for path in tracked_files() if path.startswith("knowledge/") and "/sources/" not in path]
    assert [path for path in needed if ignore.match_file(path)] == []


def test_the_webapp_zip_holds_exactly_the_deployed_files(tmp_path: Path) -> None:
    output = webapp_zip.write_zip(webapp_zip.deployed_files(), tmp_path / "webapp.zip")
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
    assert names == webapp_zip.deployed_files() and "app.py" in names and "requirements.txt" in names


def test_requirements_txt_installs_the_bot_with_its_pinned_versions() -> None:
    """App Service's build installs requirements.txt: the project itself, under constraints.txt."""
    lines = [line for line in (REPO_ROOT / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert lines == ["-c constraints.txt", "."]


# --- Bicep -----------------------------------------------------------------------------------------


@cache
def bicep_trees() -> dict[str, Any]:
    result = run(tool("python"), str(CHECK_BICEP), *(str(path.relative_to(REPO_ROOT)) for path in BICEP_FILES))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def bicep_tree(path: str) -> dict[str, Any]:
    return bicep_trees()[path]


def test_every_bicep_file_parses() -> None:
    assert sorted(bicep_trees()) == ["infra/azure.bicep", "infra/botRegistration/azurebot.bicep"]


def test_a_bicep_file_that_does_not_parse_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.bicep"
    broken.write_text("param name string\nresource site 'Microsoft.Web/sites@2023-12-01' = {\n  name:\n}\n")
    result = run(tool("python"), str(CHECK_BICEP), str(broken))
    assert result.returncode == 1 and "broken.bicep does not parse" in result.stderr


def resources(path: str = "infra/azure.bicep") -> dict[str, dict[str, Any]]:
    return {name: resource["config"] for name, resource in bicep_tree(path)["resources"].items()}


def test_the_web_app_runs_python_311_over_https_with_the_health_check() -> None:
    site = resources()["webApp"]
    config = site["properties"]["siteConfig"]
    assert site["properties"]["httpsOnly"] is True
    assert config["alwaysOn"] is True and config["healthCheckPath"] == "/healthz"
    assert config["appCommandLine"] == "python app.py"
    assert bicep_tree("infra/azure.bicep")["parameters"]["linuxFxVersion"]["default"] == "PYTHON|3.11"
    assert site["identity"]["type"] == "UserAssigned"
    assert resources()["serverfarm"]["properties"]["reserved"] is True  # Linux


def app_settings() -> dict[str, Any]:
    config = resources()["webApp"]["properties"]["siteConfig"]
    return {setting["name"]: setting["value"] for setting in config["appSettings"]}


def settings_the_bot_reads() -> set[str]:
    source = (REPO_ROOT / "bot/config.py").read_text(encoding="utf-8")
    return set(re.findall(r'env(?:\.get\(|, )"(\w+)"', source))


def test_every_app_setting_is_one_the_bot_or_app_service_reads() -> None:
    app_service = {
        "WEBSITES_PORT",
        "SCM_DO_BUILD_DURING_DEPLOYMENT",
        "WEBSITES_CONTAINER_START_TIME_LIMIT",
        "WEBSITE_HEALTHCHECK_MAXPINGFAILURES",
    }
    read = settings_the_bot_reads()
    assert {"MicrosoftAppId", "MicrosoftAppType", "MicrosoftAppTenantId", "HOST", "PORT", "STATE_STORE"} <= read
    assert set(app_settings()) - app_service <= read
    settings = app_settings()
    assert settings["MicrosoftAppType"] == "UserAssignedMSI" and settings["HOST"] == "0.0.0.0"
    assert settings["PORT"] == settings["WEBSITES_PORT"]
    assert settings["STATE_STORE"] == "azureblob://${stateContainerName}"
    assert "AZURE_STORAGE_CONNECTION_STRING" not in settings and "MicrosoftAppPassword" not in settings


def test_state_is_blob_storage_reached_with_the_identity_and_expired_after_the_ttl() -> None:
    storage = resources()["storage"]["properties"]
    assert storage["allowSharedKeyAccess"] is False and storage["allowBlobPublicAccess"] is False
    access = resources()["stateAccess"]
    assert access["scope"] == "stateContainer"
    assert "storageBlobDataContributor" in json.dumps(access["properties"]["roleDefinitionId"])
    [rule] = resources()["stateLifecycle"]["properties"]["policy"]["rules"]
    assert rule["definition"]["filters"]["prefixMatch"] == ["${stateContainerName}/"]
    assert rule["definition"]["actions"]["baseBlob"]["delete"] == {"daysAfterModificationGreaterThan": "stateTtlDays"}
    ttl = app_settings()["STATE_TTL_DAYS"]
    assert "stateTtlDays" in json.dumps(ttl)  # the bot and the rule agree on one number


def test_the_azure_bot_uses_the_managed_identity_and_the_teams_channel() -> None:
    bot_resources = resources("infra/botRegistration/azurebot.bicep")
    bot = bot_resources["botService"]["properties"]
    assert bot["msaAppType"] == "UserAssignedMSI"
    assert bot["endpoint"] == "https://${botAppDomain}/api/messages"
    assert {bot["msaAppId"], bot["msaAppMSIResourceId"], bot["msaAppTenantId"]} == {
        "identityClientId",
        "identityResourceId",
        "identityTenantId",
    }
    assert bot_resources["botServiceMsTeamsChannel"]["properties"]["channelName"] == "MsTeamsChannel"


def test_the_parameters_file_names_only_parameters_the_template_declares() -> None:
    parameters = json.loads((REPO_ROOT / "infra/azure.parameters.json").read_text())["parameters"]
    assert set(parameters) <= set(bicep_tree("infra/azure.bicep")["parameters"])


# --- checkov, hadolint, the Dockerfile -------------------------------------------------------------


@cache
def checkov_report() -> list[dict[str, Any]]:
    files = [*(str(path.relative_to(REPO_ROOT)) for path in BICEP_FILES), "Dockerfile"]
    arguments = [arg for path in files for arg in ("-f", path)]
    command = [tool("checkov"), "--framework", "bicep", "dockerfile", "--skip-download", "-o", "json", *arguments]
    result = run(*command)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    report = json.loads(result.stdout)
    return report if isinstance(report, list) else [report]


def test_checkov_finds_nothing_in_the_bicep_and_the_dockerfile() -> None:
    summaries = {report["check_type"]: report["summary"] for report in checkov_report()}
    assert set(summaries) == {"bicep", "dockerfile"}
    assert all(summary["failed"] == 0 and summary["passed"] > 0 for summary in summaries.values()), summaries


def skipped_checks() -> Iterator[dict[str, Any]]:
    for report in checkov_report():
        yield from report["results"]["skipped_checks"]


def test_every_check_skipped_says_why() -> None:
    skipped = list(skipped_checks())
    assert skipped  # infra/azure.bicep skips some, each with a reason in a comment
    assert all(len(check["check_result"].get("suppress_comment", "")) > 20 for check in skipped)


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    result = run(tool("hadolint"), "Dockerfile")
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_does_flag_a_bad_dockerfile(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python\nRUN cd /app && pip install flask\n")
    result = run(tool("hadolint"), str(bad))
    assert result.returncode == 1 and "DL3006" in result.stdout  # an image without a pinned tag


def test_the_dockerfile_is_multi_stage_slim_non_root_with_a_health_check() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.findall(r"^FROM (\S+)", text, re.MULTILINE) == ["python:3.11-slim", "python:3.11-slim"]
    assert re.search(r"^USER 10001:10001$", text, re.MULTILINE)
    assert re.search(r"^HEALTHCHECK .*\n.*/healthz", text, re.MULTILINE)
    assert "PORT=3978" in text and "HOST=0.0.0.0" in text
    assert text.rstrip().endswith('CMD ["python", "app.py"]')
