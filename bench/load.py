"""The load generator, a process of its own: N conversations, each a user sending the next turn of
bench.script.TURNS as soon as the previous one was answered (a closed loop), for a fixed time.

`python -m bench.load --url http://127.0.0.1:P/api/messages --service-url http://127.0.0.1:C/ ...`
prints one JSON object: turns, turns per second, p50/p99 latency (ms) and errors. A turn's latency is
the POST to /api/messages until its response: the bot has posted its replies to the connector by then.
Only turns that start after the warm-up and end before the deadline are counted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import dataclass, field

import aiohttp

from bench.script import TURNS, message_activity
from bench.stats import percentile

REQUEST_TIMEOUT_SECONDS = 30


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    all_turns: int = 0  # warm-up included: what the servers' CPU time is divided by
    statuses: dict[str, int] = field(default_factory=dict)


async def post_turn(session: aiohttp.ClientSession, url: str, body: bytes) -> int:
    async with session.post(url, data=body, headers={"Content-Type": "application/json"}) as response:
        await response.read()
        return response.status


async def conversation(
    session: aiohttp.ClientSession,
    args: argparse.Namespace,
    number: int,
    window: tuple[float, float],
    tally: Tally,
    max_turns: int | None,
) -> None:
    conversation_id = f"{args.prefix}-conv-{number}"
    user_id = f"{args.prefix}-user-{number}"
    measure_from, deadline = window
    turn = 0
    while time.perf_counter() < deadline and (max_turns is None or turn < max_turns):
        text = TURNS[turn % len(TURNS)]
        body = json.dumps(message_activity(args.service_url, conversation_id, user_id, text)).encode()
        started = time.perf_counter()
        status: int | str
        try:
            status = await post_turn(session, args.url, body)
        except (TimeoutError, aiohttp.ClientError) as error:
            status = type(error).__name__
        ended = time.perf_counter()
        turn += 1
        tally.all_turns += 1
        if started < measure_from or ended > deadline:
            continue
        key = str(status)
        tally.statuses[key] = tally.statuses.get(key, 0) + 1
        if isinstance(status, int) and status < 300:
            tally.latencies_ms.append((ended - started) * 1000)
        else:
            tally.errors += 1


async def run(args: argparse.Namespace) -> dict[str, object]:
    tally = Tally()
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=args.concurrency, force_close=False)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        now = time.perf_counter()
        # --turns: a fixed number of turns (to see how big the replies are), no time window.
        window = (now, now + 3600.0) if args.turns else (now + args.warmup, now + args.warmup + args.duration)
        await asyncio.gather(
            *(conversation(session, args, n, window, tally, args.turns) for n in range(args.concurrency))
        )
        seconds = (time.perf_counter() - now) if args.turns else args.duration
    turns = len(tally.latencies_ms)
    return {
        "concurrency": args.concurrency,
        "turns": turns,
        "seconds": seconds,
        "per_second": turns / seconds if seconds else 0.0,
        "p50_ms": percentile(tally.latencies_ms, 50),
        "p99_ms": percentile(tally.latencies_ms, 99),
        "errors": tally.errors,
        "all_turns": tally.all_turns,
        "statuses": tally.statuses,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="the bot's /api/messages URL")
    parser.add_argument("--service-url", required=True, help="the fake connector, put in each activity")
    parser.add_argument("--concurrency", type=int, default=1, help="conversations at once")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds not counted at the start")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds counted")
    parser.add_argument("--turns", type=int, default=None, help="instead of a time: this many turns each")
    parser.add_argument("--prefix", default="bench", help="makes conversation ids unique to a run")
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(parse_args()))))
