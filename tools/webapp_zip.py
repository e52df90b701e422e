"""The zip App Service gets: the tracked files minus .webappignore, as the Agents Toolkit's
azureAppService/zipDeploy sends them (m365agents.yml), for deploying with `az webapp deploy`.

Usage: python -m tools.webapp_zip [--output artifacts/webapp.zip]   (or `make webapp-zip`)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import zipfile
from pathlib import Path

import pathspec

REPO_ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = REPO_ROOT / ".webappignore"
DEFAULT_OUTPUT = REPO_ROOT / "artifacts" / "webapp.zip"


def webappignore(root: Path = REPO_ROOT) -> pathspec.PathSpec:
    """.webappignore's patterns, in gitignore semantics (as the toolkit reads them)."""
    return pathspec.PathSpec.from_lines("gitignore", (root / ".webappignore").read_text().splitlines())


def deployed_files(root: Path = REPO_ROOT) -> list[str]:
    """Tracked files (git ls-files) that .webappignore does not leave out."""
    ignore = webappignore(root)
    tracked = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout
    return [path for path in tracked.split() if not ignore.match_file(path)]


def write_zip(files: list[str], output: Path, root: Path = REPO_ROOT) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(root / path, path)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Zip StageCoach for App Service (minus .webappignore).")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    files = deployed_files()
    print(f"webapp_zip: {len(files)} files -> {write_zip(files, args.output)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
