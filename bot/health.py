"""Readiness for GET /healthz: the state storage answers, takes a write, reads it back and deletes it.

A read-only check said "storage: ok" while a full volume refused every write. The probe writes an
item of its own (one key per process, so instances never contend for it), within a time bound; at
most one probe runs at a time and concurrent /healthz requests share its verdict, so a flood of
requests is not a flood of writes.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from bot.storage import StateStorage

log = logging.getLogger("stagecoach.health")

PROBE_TIMEOUT_SECONDS = 2.0


class StorageProbe:
    def __init__(self, storage: StateStorage, *, timeout_seconds: float = PROBE_TIMEOUT_SECONDS) -> None:
        self.storage = storage
        self.key = f"stagecoach-healthz/{uuid.uuid4().hex}"
        self.timeout_seconds = timeout_seconds
        self._running: asyncio.Task[bool] | None = None
        self._last_ready = True

    async def ready(self) -> bool:
        """True when the storage answered and wrote, read back and deleted the probe item in time."""
        if self._running is None or self._running.done():
            self._running = asyncio.ensure_future(self._probe())
        # Shielded: a /healthz client that goes away does not cancel the probe others wait for.
        return await asyncio.shield(self._running)

    async def _probe(self) -> bool:
        marker = uuid.uuid4().hex
        problem = ""
        try:
            async with asyncio.timeout(self.timeout_seconds):
                if not await self.storage.ping():
                    problem = "it does not answer"
                else:
                    await self.storage.write({self.key: {"probe": marker}})
                    items = await self.storage.read([self.key])
                    await self.storage.delete([self.key])
                    if items.get(self.key, {}).get("probe") != marker:
                        problem = "the probe item read back wrong"
        except Exception as error:  # readiness: any failure means "not ready"
            problem = f"{type(error).__name__}: {str(error)[:200]}"
        ready = not problem
        if ready != self._last_ready:  # logged when it changes, not on every probe
            if ready:
                log.info("state storage ready again")
            else:
                log.warning("state storage not ready: %s", problem)
        self._last_ready = ready
        return ready
