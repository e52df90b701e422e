"""Measure per-operation latency of each state-storage backend (p50/p99 over sequential operations).

    .venv/bin/python -m tools.check_storage_latency [--ops 500] [--value-bytes 2000]

Azure Blob runs against a throwaway Azurite on 127.0.0.1 unless --azure-connection-string is given.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # also runnable as `python tools/check_storage_latency.py`
    sys.path.insert(0, str(REPO_ROOT))

from bot.storage import AzureBlobStorage, MemoryStorage, SqliteStorage, StateStorage  # noqa: E402
from tests.azurite import AzuriteServer  # noqa: E402

BACKENDS = ("memory", "sqlite", "azureblob")


@dataclass(frozen=True)
class LatencySummary:
    backend: str
    operation: str
    samples_ms: list[float]

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    def row(self) -> str:
        p50, p99 = self.percentile(0.50), self.percentile(0.99)
        mean, worst = statistics.fmean(self.samples_ms), max(self.samples_ms)
        return f"{self.backend:<10} {self.operation:<22} {p50:>8.3f} {p99:>8.3f} {mean:>8.3f} {worst:>8.3f}"


async def time_operation(operation: Callable[[], Awaitable[object]], count: int) -> list[float]:
    samples_ms = []
    for _ in range(count):
        started = time.perf_counter()
        await operation()
        samples_ms.append((time.perf_counter() - started) * 1000)
    return samples_ms


async def measure_backend(name: str, storage: StateStorage, ops: int, value_bytes: int) -> list[LatencySummary]:
    key = f"msteams/conversations/19:{uuid.uuid4().hex}@thread.v2/"
    value = {"dialog_stack": [{"id": "checkpoint", "state": {"notes": "x" * value_bytes}}], "turns": 0}
    await storage.write({key: value})  # warm-up: opens files, creates the container, fills pools

    async def read() -> object:
        return await storage.read([key])

    async def write() -> None:
        await storage.write({key: value})

    async def turn() -> None:  # what a bot turn costs: load, then a conditional save
        current = (await storage.read([key]))[key]
        await storage.write({key: {**current, "turns": current["turns"] + 1}})

    summaries = []
    for operation_name, operation in (
        ("read", read),
        ("write (unconditional)", write),
        ("turn (read+if-match)", turn),
    ):
        summaries.append(LatencySummary(name, operation_name, await time_operation(operation, ops)))
    return summaries


async def run(backends: list[str], ops: int, value_bytes: int, azure_connection_string: str | None) -> None:
    print(f"{ops} sequential operations per row, value ~{value_bytes} bytes; times in ms")
    print(f"{'backend':<10} {'operation':<22} {'p50':>8} {'p99':>8} {'mean':>8} {'max':>8}")
    with tempfile.TemporaryDirectory() as scratch:
        azurite: AzuriteServer | None = None
        try:
            for name in backends:
                storage: StateStorage
                if name == "memory":
                    storage = MemoryStorage()
                elif name == "sqlite":
                    storage = SqliteStorage(Path(scratch) / "state.db")
                else:
                    if azure_connection_string is None:
                        azurite = AzuriteServer(Path(scratch) / "azurite")
                        azurite.start()
                        azure_connection_string = azurite.connection_string
                    storage = AzureBlobStorage(azure_connection_string, f"latency-{uuid.uuid4().hex[:12]}")
                async with storage:
                    for summary in await measure_backend(name, storage, ops, value_bytes):
                        print(summary.row())
        finally:
            if azurite is not None:
                azurite.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ops", type=int, default=500)
    parser.add_argument("--value-bytes", type=int, default=2000)
    parser.add_argument(
        "--backends", default=",".join(BACKENDS), help="comma-separated subset of " + ", ".join(BACKENDS)
    )
    parser.add_argument("--azure-connection-string", default=None)
    args = parser.parse_args()
    backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    unknown = sorted(set(backends) - set(BACKENDS))
    if unknown:
        parser.error(f"unknown backends: {', '.join(unknown)}")
    asyncio.run(run(backends, args.ops, args.value_bytes, args.azure_connection_string))


if __name__ == "__main__":
    main()
