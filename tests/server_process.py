"""The real StageCoach server (`python app.py`) as a subprocess on 127.0.0.1, for restart and multi-instance tests.

    server = ServerProcess(tmp_path / "a", {"STATE_STORE": f"sqlite:///{tmp_path}/state.db"})
    server.start()          # waits until GET /healthz answers 200 (bounded)
    ...                     # POST activities to server.url + "/api/messages"
    server.kill()           # SIGKILL: a crash, nothing is flushed or closed
    server.start()          # same port, same settings: a restart
    server.stop()           # SIGTERM, then SIGKILL if it does not exit in time

start() and stop() block (they poll with short sleeps); from async tests call them through
``asyncio.to_thread`` so an in-process fake channel keeps serving meanwhile.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from tools.localhost import environment_without_bot_settings, free_port, http_status

REPO_ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
STARTUP_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0


class ServerProcessError(RuntimeError):
    pass


class ServerProcess:
    """One `python app.py` on 127.0.0.1; kill()/stop() then start() reuse the port and the settings."""

    def __init__(
        self,
        workdir: Path,
        env: Mapping[str, str] | None = None,
        *,
        port: int | None = None,
        cwd: Path = REPO_ROOT,
        python: Path = PYTHON,
    ) -> None:
        self.workdir = workdir
        self.port = port if port is not None else free_port()
        self.cwd = cwd
        self.python = python
        self.log_path = workdir / f"server-{self.port}.log"
        self.env = {
            **environment_without_bot_settings(),
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.starts = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def healthz(self, timeout: float = 5.0) -> int | None:
        return http_status(self.url + "/healthz", timeout)

    def start(self, timeout: float = STARTUP_TIMEOUT_SECONDS, require_healthy: bool = True) -> float:
        """Start and wait until /healthz answers (200, or any status if not require_healthy); seconds taken."""
        started = time.monotonic()
        self.launch()
        self.wait_ready(started + timeout, require_healthy)
        return time.monotonic() - started

    def launch(self) -> None:
        """Start the process without waiting for it; wait_ready() then waits."""
        if self.is_running:
            raise ServerProcessError(f"server on port {self.port} is already running")
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [str(self.python), "app.py"],
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.starts += 1

    def wait_ready(self, deadline: float, require_healthy: bool = True) -> None:
        """Poll /healthz until it answers 200 (or anything, if not require_healthy) by deadline (monotonic)."""
        status: int | None = None
        while time.monotonic() < deadline:
            process = self._process
            if process is None:
                raise ServerProcessError(f"server on port {self.port} is not running")
            if process.poll() is not None:
                self._process = None
                raise ServerProcessError(
                    f"server exited with code {process.returncode} while starting:\n{self.log_tail()}"
                )
            status = http_status(self.url + "/healthz", timeout=1.0)
            if status == 200 or (status is not None and not require_healthy):
                return
            time.sleep(0.05)
        self.kill()
        raise ServerProcessError(
            f"server on port {self.port} was not ready in time (last /healthz: {status}):\n" + self.log_tail()
        )

    def kill(self) -> None:
        """SIGKILL, like a crash or an evicted container: no cleanup runs. Waits until it is gone."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_SECONDS)

    def stop(self) -> None:
        """SIGTERM (graceful: aiohttp runs its cleanup), then SIGKILL if it does not exit in time."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_SECONDS)

    def log_tail(self, max_chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-max_chars:]
        except OSError:
            return "(no log)"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


@contextmanager
def running_servers(
    *servers: ServerProcess, timeout: float = STARTUP_TIMEOUT_SECONDS
) -> Iterator[tuple[ServerProcess, ...]]:
    """Start every server at once and wait until all are ready; stop all of them on exit, even after a failure."""
    try:
        deadline = time.monotonic() + timeout
        for server in servers:
            server.launch()
        for server in servers:
            server.wait_ready(deadline)
        yield servers
    finally:
        for server in servers:
            server.stop()
