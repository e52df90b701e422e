"""Parse Bicep files with pycep-parser (no Bicep compiler can be installed here) and print the trees.

Runs in the validators' own virtual environment (.venv-tools, see the Makefile): pycep comes with
checkov, whose pins clash with the bot's. Usage:
  .venv-tools/bin/python tools/validators/check_bicep.py infra/azure.bicep [more.bicep ...]
Prints {"<path>": <pycep's JSON tree>, ...} on stdout; exits 1 naming the file that does not parse.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pycep import BicepParser


def main(paths: list[str]) -> int:
    if not paths:
        print("check_bicep: no files given", file=sys.stderr)
        return 2
    parser = BicepParser()
    trees = {}
    for path in paths:
        try:
            trees[path] = parser.parse(file_path=Path(path))
        except Exception as error:  # lark's errors name the line and the tokens; any failure is "does not parse"
            print(f"check_bicep: {path} does not parse: {type(error).__name__}: {error}", file=sys.stderr)
            return 1
    json.dump(trees, sys.stdout, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
