"""`make eval`: start the bot, run tools/botprobe.py over the sample and tests/questions, print
accuracy per question kind. Exits non-zero if a case fails."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tools.localhost import environment_without_bot_settings, free_port, http_status

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "tools" / "botprobe.py"
SAMPLE = ROOT / "tests" / "eval" / "sample.json"


def wait_ready(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if http_status(f"http://127.0.0.1:{port}/healthz") == 200:
            return
        time.sleep(0.1)
    raise SystemExit("the bot did not start")


def main() -> int:
    port = free_port()
    env = {**environment_without_bot_settings(), "PORT": str(port), "STATE_STORE": "memory"}
    server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port)
        files = [
            str(SAMPLE),
            *sorted(str(p) for p in (ROOT / "tests" / "questions").glob("*.json")),
        ]
        url = f"http://127.0.0.1:{port}/api/messages"
        return subprocess.call([sys.executable, str(PROBE), "--url", url, *files])
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
