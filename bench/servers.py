"""Start, probe and stop the benchmark's server processes; read their resident memory."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.localhost import environment_without_bot_settings

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    spawned_at: float  # time.perf_counter() just before the process was started

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _status(self, field: str) -> float:
        """A memory figure from /proc/<pid>/status, in MB (VmRSS: resident now, VmHWM: the peak)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_seconds(self) -> float:
        """User + system CPU time the process (all its threads) has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        return self._status("VmRSS")

    def peak_rss_mb(self) -> float:
        return self._status("VmHWM")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # aiohttp's run_app shuts down cleanly on SIGINT
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def spawn(name: str, args: list[str], port: int, log_path: Path, env: dict[str, str] | None = None) -> Server:
    log = log_path.open("ab")
    spawned_at = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args], cwd=log_path.parent, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    log.close()  # the child has its own copy
    return Server(name, process, port, spawned_at)


def bench_env() -> dict[str, str]:
    env = environment_without_bot_settings()  # the benchmark sets the ones it needs
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def http(method: str, url: str, body: Any = None, timeout: float = 5.0) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, None


def wait_until(server: Server, probe: Any, timeout: float = 20.0) -> float:
    """Call probe() until it returns True; the seconds from spawning the server until then."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}; see its log")
        with contextlib.suppress(OSError):
            if probe():
                return time.perf_counter() - server.spawned_at
        time.sleep(0.01)
    raise TimeoutError(f"{server.name} did not come up within {timeout} s")
