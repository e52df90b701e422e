"""The bot (`python app.py`) and the Microsoft 365 Agents Playground as child processes on 127.0.0.1.

Each runs in its own session (process group) and is stopped with its whole group: SIGTERM, then
SIGKILL if it does not exit in time. listening_addresses() reads /proc to prove a process group
listens on loopback only.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tools.e2e.browser import NODE_MODULES, REPO
from tools.localhost import environment_without_bot_settings, free_port, http_status

PLAYGROUND = NODE_MODULES / ".bin" / "agentsplayground"
LISTEN_LOCALHOST = Path(__file__).resolve().parent / "listen_localhost.js"
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


@dataclass
class Service:
    name: str
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    @property
    def pgid(self) -> int:
        return self.process.pid  # start_new_session: the child leads its own group

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def wait_ready(self, check_url: str, timeout: float = STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            if http_status(check_url) == 200:
                return
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f}s:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM to the whole process group, then SIGKILL; waits for the child."""
        for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, STOP_TIMEOUT)):
            try:
                os.killpg(self.pgid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            if not group_pids(self.pgid):
                break
        if self.process.poll() is None:
            self.process.wait(timeout=STOP_TIMEOUT)


def _start(name: str, command: Sequence[str], env: Mapping[str, str], cwd: Path, log: Path, url: str) -> Service:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Service(name, process, url, log)


@contextmanager
def bot_server(log_dir: Path, port: int | None = None) -> Iterator[Service]:
    """StageCoach as `make run` starts it, with memory state, on 127.0.0.1:<port>."""
    port = port or free_port()
    env = environment_without_bot_settings()
    env.update(PORT=str(port), STATE_STORE="memory", PYTHONUNBUFFERED="1")
    service = _start(
        "bot", [sys.executable, "app.py"], env, REPO, log_dir / "bot.log", f"http://127.0.0.1:{port}/api/messages"
    )
    try:
        service.wait_ready(f"http://127.0.0.1:{port}/healthz")
        yield service
    finally:
        service.stop()


@contextmanager
def playground(bot_endpoint: str, log_dir: Path, port: int | None = None) -> Iterator[Service]:
    """The Agents Playground (Teams channel, telemetry off, no browser of its own) on 127.0.0.1:<port>."""
    port = port or free_port()
    workdir = log_dir / "playground"  # it writes a devTools folder into its working directory
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        TEAMSAPPTESTER_BROWSER="none",
        NODE_OPTIONS=f"--require {LISTEN_LOCALHOST}",
        NO_UPDATE_NOTIFIER="1",
    )
    command = [
        str(PLAYGROUND),
        "-e",
        bot_endpoint,
        "-c",
        "msteams",
        "-p",
        str(port),
        "--su",
        f"http://127.0.0.1:{port}/_connector",
        "--dt",
    ]
    service = _start("playground", command, env, workdir, log_dir / "playground.log", f"http://127.0.0.1:{port}/")
    try:
        service.wait_ready(service.url)
        yield service
    finally:
        service.stop()


def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid:  # after the name: state, ppid, pgrp
            pids.append(int(entry.name))
    return pids


def _socket_inodes(pids: Sequence[int]) -> set[str]:
    inodes = set()
    for pid in pids:
        fd_dir = Path(f"/proc/{pid}/fd")
        try:
            links = [os.readlink(fd_dir / fd) for fd in os.listdir(fd_dir)]
        except OSError:
            continue
        inodes.update(link[8:-1] for link in links if link.startswith("socket:["))
    return inodes


def _address(hex_address: str) -> tuple[str, int]:
    host, port = hex_address.split(":")
    raw = bytes.fromhex(host)
    if len(raw) == 4:
        ip = socket.inet_ntop(socket.AF_INET, raw[::-1])
    else:  # four little-endian 32-bit words
        ip = socket.inet_ntop(socket.AF_INET6, b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4)))
    return ip, int(port, 16)


def listening_addresses(pgid: int) -> list[tuple[str, int]]:
    """(address, port) of every TCP socket the process group listens on."""
    inodes = _socket_inodes(group_pids(pgid))
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                found.append(_address(fields[1]))
    return found


def is_loopback(address: str) -> bool:
    return address.startswith("127.") or address in ("::1", "::ffff:127.0.0.1")
