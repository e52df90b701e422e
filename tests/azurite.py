"""Azurite (the Azure Storage emulator) as a subprocess, and a session-scoped pytest fixture for it.

Import the fixture into a test module with ``from tests.azurite import azurite  # noqa: F401``.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.localhost import free_port

REPO_ROOT = Path(__file__).resolve().parent.parent
AZURITE_BLOB_BINARY = REPO_ROOT / "tools" / "node" / "node_modules" / ".bin" / "azurite-blob"
# The emulator's fixed, public development account (documented by Microsoft; not a secret).
ACCOUNT_NAME = "devstoreaccount1"
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
STARTUP_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0


class AzuriteError(RuntimeError):
    pass


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class AzuriteServer:
    """One azurite-blob process on 127.0.0.1; stop() and start() keep the port and the data directory."""

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        binary: Path = AZURITE_BLOB_BINARY,
        tls: tuple[Path, Path] | None = None,
    ) -> None:
        """tls: (certificate, key) PEM files: serve HTTPS and accept Entra ID tokens (--oauth basic:
        audience, issuer and lifetime are checked, the signature is not), as Azure would."""
        self.binary = binary
        self.tls = tls
        self.data_dir = data_dir
        self.port = port if port is not None else free_port()
        self.log_path = data_dir / "azurite.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def blob_endpoint(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}/{ACCOUNT_NAME}"

    @property
    def connection_string(self) -> str:
        return (
            f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT_NAME};"
            f"AccountKey={ACCOUNT_KEY};BlobEndpoint={self.blob_endpoint};"
        )

    @property
    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        if self.is_running:
            return
        if not self.binary.exists():
            raise AzuriteError(f"Azurite is not installed ({self.binary} is missing): run `npm ci --prefix tools/node`")
        if shutil.which("node") is None:
            raise AzuriteError("Azurite needs Node.js, and `node` is not on PATH")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            str(self.binary),
            "--blobHost", "127.0.0.1",
            "--blobPort", str(self.port),
            "--location", str(self.data_dir),
            "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
        ]  # fmt: skip
        if self.tls:
            command += ["--cert", str(self.tls[0]), "--key", str(self.tls[1]), "--oauth", "basic"]
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_listening()

    def stop(self) -> None:
        """Stop gracefully (Azurite saves its metadata on SIGTERM) and wait until the port is closed."""
        process = self._process
        if process is None:
            return
        self._process = None
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)  # a paused process would not act on SIGTERM
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def pause(self) -> None:
        """Freeze the process (SIGSTOP): connections are accepted by the kernel but never answered."""
        if self._process is not None:
            self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise AzuriteError(f"Azurite exited with code {self._process.returncode}:\n{self._log_tail()}")
            if port_answers(self.port):
                return
            time.sleep(0.05)
        self.stop()
        raise AzuriteError(
            f"Azurite did not listen on port {self.port} within {STARTUP_TIMEOUT_SECONDS:g} s:\n" + self._log_tail()
        )

    def _log_tail(self, max_chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-max_chars:]
        except OSError:
            return "(no log)"


def running(server: AzuriteServer) -> Iterator[AzuriteServer]:
    """server, started for a fixture and stopped after it; a failure to start fails the test."""
    try:
        server.start()
    except AzuriteError as exc:
        # Fail loudly rather than skip: a silently skipped backend is an untested backend.
        server.stop()
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AzuriteServer]:
    yield from running(AzuriteServer(tmp_path_factory.mktemp("azurite")))
