"""Full stack over HTTP on loopback: StageCoach (`python app.py`) against a bare aiohttp endpoint.

Four kinds of process: the fake connector (bench.connector), StageCoach with SQLite state, the bare
endpoint (bench.bare) and, for each run, a load generator (bench.load). Both servers post to the same
connector. Runs are interleaved (StageCoach, bare, bare, StageCoach, ...) so that a noisy neighbour
hits both alike; each figure is the median over the rounds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.script import TURNS, message_activity
from bench.servers import REPO, Server, bench_env, http, spawn, wait_until
from bench.stats import median
from tools.localhost import free_port

STAGECOACH = "StageCoach"
BARE = "bare aiohttp"


@dataclass
class Run:
    target: str
    concurrency: int
    per_second: float
    p50_ms: float
    p99_ms: float
    turns: int
    errors: int
    cpu_ms_per_turn: float  # the server's CPU time (all threads) per turn


@dataclass
class FullStackResult:
    runs: list[Run] = field(default_factory=list)
    startup_seconds: list[float] = field(default_factory=list)
    rss_after_mb: float = float("nan")
    peak_rss_mb: float = float("nan")
    bare_rss_mb: float = float("nan")
    reply_bytes_per_turn: float = 0.0
    posts_per_turn: float = 0.0
    rounds: int = 0
    clients_built: int | None = None

    def of(self, target: str, concurrency: int) -> list[Run]:
        return [r for r in self.runs if r.target == target and r.concurrency == concurrency]

    def median(self, target: str, concurrency: int, attribute: str) -> float:
        return median([getattr(r, attribute) for r in self.of(target, concurrency)])

    def ratios(self, concurrency: int) -> list[float]:
        """StageCoach / bare throughput of each round, runs paired as they were interleaved."""
        pairs = zip(self.of(STAGECOACH, concurrency), self.of(BARE, concurrency), strict=True)
        return [s.per_second / b.per_second for s, b in pairs if b.per_second]


def start_connector(workdir: Path) -> Server:
    port = free_port()
    server = spawn("connector", ["-m", "bench.connector", str(port)], port, workdir / "connector.log", bench_env())
    wait_until(server, lambda: http("GET", server.url("/stats"))[0] == 200)
    return server


def start_stagecoach(workdir: Path, connector: Server) -> tuple[Server, float]:
    """StageCoach as `python app.py` runs it, and the seconds until it answered its first question."""
    port = free_port()
    env = bench_env()
    env.update(PORT=str(port), HOST="127.0.0.1", STATE_STORE=f"sqlite:///{workdir / 'state.db'}")
    # cwd is the work dir: a developer's .env in the repo must not switch authentication on.
    server = spawn(STAGECOACH, [str(REPO / "app.py")], port, workdir / "stagecoach.log", env)
    question = message_activity(connector.url("/"), f"startup-{uuid.uuid4().hex[:8]}", "startup-user", TURNS[0])
    seconds = wait_until(server, lambda: http("POST", server.url("/api/messages"), question)[0] == 201)
    return server, seconds


def start_bare(workdir: Path, reply_bytes: int) -> Server:
    port = free_port()
    server = spawn(BARE, ["-m", "bench.bare", str(port), str(reply_bytes)], port, workdir / "bare.log", bench_env())
    wait_until(server, lambda: http("GET", server.url("/healthz"))[0] == 200)
    return server


def load(server: Server, connector: Server, concurrency: int, extra: list[str]) -> dict[str, Any]:
    args = [
        *("-m", "bench.load", "--url", server.url("/api/messages"), "--service-url", connector.url("/")),
        *("--concurrency", str(concurrency), "--prefix", uuid.uuid4().hex[:8], *extra),
    ]
    done = subprocess.run(
        [sys.executable, *args], cwd=REPO, env=bench_env(), capture_output=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed: {done.stderr.decode()[-2000:]}")
    return json.loads(done.stdout)


def reply_size(stagecoach: Server, connector: Server) -> tuple[float, float]:
    """(bytes, posts) StageCoach sends the connector per turn, over one round of the script."""
    http("POST", connector.url("/stats/reset"))
    load(stagecoach, connector, 1, ["--turns", str(len(TURNS))])
    _, stats = http("GET", connector.url("/stats"))
    return stats["bytes"] / len(TURNS), stats["posts"] / len(TURNS)


def measure_full_stack(
    concurrencies: tuple[int, ...] = (1, 10, 100),
    rounds: int = 3,
    warmup: float = 1.0,
    duration: float = 3.0,
    startups: int = 3,
    progress: Callable[[str], object] = print,
) -> FullStackResult:
    result = FullStackResult(rounds=rounds)
    workdir = Path(tempfile.mkdtemp(prefix="stagecoach-bench-"))
    servers: list[Server] = []
    try:
        connector = start_connector(workdir)
        servers.append(connector)
        for _ in range(startups - 1):  # extra cold starts, for a median start-up time
            server, seconds = start_stagecoach(workdir, connector)
            result.startup_seconds.append(seconds)
            server.stop()
        stagecoach, seconds = start_stagecoach(workdir, connector)
        servers.append(stagecoach)
        result.startup_seconds.append(seconds)
        progress(f"  StageCoach answered its first question {seconds:.2f} s after start")
        result.reply_bytes_per_turn, result.posts_per_turn = reply_size(stagecoach, connector)
        bare = start_bare(workdir, round(result.reply_bytes_per_turn))
        servers.append(bare)
        timing = ["--warmup", str(warmup), "--duration", str(duration)]
        for number in range(rounds):
            for concurrency in concurrencies:
                order = (stagecoach, bare) if (number + concurrency) % 2 == 0 else (bare, stagecoach)
                for server in order:
                    cpu_before = server.cpu_seconds()
                    figures = load(server, connector, concurrency, timing)
                    cpu_ms = (server.cpu_seconds() - cpu_before) * 1000 / max(1, figures["all_turns"])
                    result.runs.append(
                        Run(
                            server.name,
                            concurrency,
                            figures["per_second"],
                            figures["p50_ms"],
                            figures["p99_ms"],
                            figures["turns"],
                            figures["errors"],
                            cpu_ms,
                        )
                    )
                    progress(
                        f"  round {number + 1}/{rounds} {server.name:>12} x{concurrency:<3} "
                        f"{figures['per_second']:7.1f} turns/s  p50 {figures['p50_ms']:6.1f} ms  "
                        f"p99 {figures['p99_ms']:6.1f} ms  CPU {cpu_ms:5.2f} ms/turn  errors {figures['errors']}"
                    )
        result.rss_after_mb = stagecoach.rss_mb()
        result.peak_rss_mb = stagecoach.peak_rss_mb()
        result.bare_rss_mb = bare.rss_mb()
    finally:
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return result
