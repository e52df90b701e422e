"""`python -m bench.run`: every StageCoach benchmark in one run; one table, printed and written to bench/RESULTS.md.

1. Understanding in process (question text -> Answer, and -> Adaptive Card) over tests/questions.
2. The same with the knowledge base grown 10x and 100x (bench/grow.py).
3. Full stack over HTTP on loopback: StageCoach (`python app.py`, SQLite state) at 1, 10 and 100
   conversations, each turn's replies posted to a fake connector process.
4. The ceiling: a bare aiohttp endpoint doing only the HTTP part, measured interleaved with (3).
5. Cost: the server's resident memory after the load, and its start-up time to a first answer.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.fullstack import BARE, STAGECOACH, FullStackResult, measure_full_stack
from bench.grow import grow_knowledge
from bench.machine import machine_details
from bench.stats import median
from bench.understanding import UnderstandingResult, load_question_set, measure
from knowledge.index import KnowledgeIndex, build_index
from knowledge.loader import default_knowledge

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
# What the profiles showed and what was changed: prose kept by hand, included in RESULTS.md.
NOTES = Path(__file__).resolve().parent / "notes.md"
COMMAND = ".venv/bin/python -m bench.run"
GROWTH = (1, 10, 100)
CONCURRENCY = (1, 10, 100)

# Targets (issue 7).
UNDERSTAND_P99_MS = {1: 1.0, 100: 3.0}
RATIO_AT_10 = 0.5
P99_AT_10_MS = 50.0
RSS_MB = 150.0
STARTUP_S = 2.0


@dataclass(frozen=True)
class Row:
    benchmark: str
    setting: str
    result: str
    p50: str = ""
    p99: str = ""
    notes: str = ""
    target: str = ""


def _ms(value: float) -> str:
    return "n/a" if math.isnan(value) else (f"{value:.2f}" if value < 10 else f"{value:.0f}")


def _verdict(ok: bool, text: str) -> str:
    return f"{text}: {'met' if ok else '**missed**'}"


def _kb_size(ix: KnowledgeIndex) -> str:
    kb = ix.kb
    return (
        f"{len(kb.roles)} roles, {len(kb.units)} units, {len(kb.mssp_stages)} MSSP stages, "
        f"{len(kb.glossary)} terms; {len(ix.vocabulary)} words, {len(ix.graph.facts)} facts"
    )


def understanding_rows(progress: Callable[[str], object] = print) -> list[Row]:
    rows = []
    conversations = load_question_set()
    base = default_knowledge()
    for factor in GROWTH:
        ix = build_index(grow_knowledge(base, factor))
        setting = "real KB" if factor == 1 else f"KB x{factor}"
        for with_card in (False, True):
            r: UnderstandingResult = measure(ix, conversations, setting, with_card)
            what = "text -> Answer -> card" if with_card else "text -> Answer"
            notes = [f"{r.questions} questions x 5 passes"] if not with_card else []
            if not with_card:
                notes.append(_kb_size(ix))
            if r.oversized_cards:
                notes.append(f"{r.oversized_cards} answers list the whole grown KB: card over 25 KB, refused")
            target = ""
            if factor in UNDERSTAND_P99_MS:
                limit = UNDERSTAND_P99_MS[factor]
                target = _verdict(r.p99_ms < limit, f"p99 < {limit:g} ms")
            rows.append(
                Row(
                    f"Understanding, {what}",
                    setting,
                    f"{r.per_second:,.0f} q/s",
                    _ms(r.p50_ms),
                    _ms(r.p99_ms),
                    "; ".join(notes),
                    target,
                )
            )
            progress(
                f"  {rows[-1].benchmark} [{setting}]: {rows[-1].result}, p50 {rows[-1].p50} ms, p99 {rows[-1].p99} ms"
            )
    return rows


def full_stack_rows(result: FullStackResult) -> list[Row]:
    rows = []
    for concurrency in CONCURRENCY:
        ratios = result.ratios(concurrency)
        for target in (STAGECOACH, BARE):
            runs = result.of(target, concurrency)
            cpu = median([r.cpu_ms_per_turn for r in runs])
            errors = sum(r.errors for r in runs)
            notes = [f"server CPU {cpu:.2f} ms/turn"]
            if errors:
                notes.append(f"{errors} failed turns")
            goal = ""
            if target == STAGECOACH:
                ratio = median(ratios)
                notes.append(f"**StageCoach/bare = {ratio:.0%}** (rounds: {', '.join(f'{x:.0%}' for x in ratios)})")
                if concurrency == 10:
                    p99 = result.median(target, concurrency, "p99_ms")
                    goal = (
                        _verdict(ratio >= RATIO_AT_10, f"ratio >= {RATIO_AT_10:.0%}")
                        + "; "
                        + _verdict(p99 < P99_AT_10_MS, f"p99 < {P99_AT_10_MS:g} ms")
                    )
            plural = "s" if concurrency > 1 else ""
            rows.append(
                Row(
                    f"Full stack over HTTP, {target}",
                    f"{concurrency} conversation{plural}",
                    f"{result.median(target, concurrency, 'per_second'):,.0f} turns/s",
                    _ms(result.median(target, concurrency, "p50_ms")),
                    _ms(result.median(target, concurrency, "p99_ms")),
                    "; ".join(notes),
                    goal,
                )
            )
    rows.append(
        Row(
            "Cost: StageCoach resident memory (RSS)",
            "after all the load",
            f"{result.rss_after_mb:.0f} MB",
            notes=f"peak {result.peak_rss_mb:.0f} MB; the bare endpoint: {result.bare_rss_mb:.0f} MB",
            target=_verdict(result.rss_after_mb < RSS_MB, f"< {RSS_MB:g} MB"),
        )
    )
    startup = median(result.startup_seconds)
    rows.append(
        Row(
            "Cost: StageCoach start-up to first answered request",
            "`python app.py`, SQLite state",
            f"{startup:.2f} s",
            notes=f"median of {len(result.startup_seconds)} cold starts: "
            + ", ".join(f"{s:.2f}" for s in result.startup_seconds),
            target=_verdict(startup < STARTUP_S, f"< {STARTUP_S:g} s"),
        )
    )
    return rows


def table(rows: list[Row]) -> str:
    header = ("Benchmark", "Setting", "Result", "p50 ms", "p99 ms", "Notes", "Target")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        cells = (r.benchmark, r.setting, r.result, r.p50, r.p99, r.notes, r.target)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def results_markdown(rows: list[Row], result: FullStackResult, seconds: float, args: argparse.Namespace) -> str:
    machine = "\n".join(f"- **{k}**: {v}" for k, v in machine_details().items())
    return f"""# StageCoach benchmarks

Written by `{COMMAND}` (`make bench`) in {seconds:.0f} s. Re-run it to refresh this file.

## Machine

{machine}

## Results

{table(rows)}

## How it was measured

- **Understanding**: every `say` of `tests/questions/*.json`, each timed alone (`perf_counter_ns`) from raw
  text to `knowledge.answers.answer(...)` (who-does lines passed as `dialogs/router.py` does), and again
  including `cards.render.answer_card`. Follow-ups get the previous answer's context. One warm-up pass,
  then 5 passes; the typo corrector's cache is emptied before each pass, so every question is read as new.
- **Growth**: `bench/grow.py` adds (factor - 1) x as many invented roles, units, MSSP stages (with
  checkpoints and key steps), glossary terms and aliases, named with invented words mixed with the
  seeds' own words so they share the real entities' index buckets; `build_index` indexes the result.
  Answers that list every stage or role (e.g. "which stages have an NA probability?") grow with the
  KB by design: at x100 their cards exceed Teams' 25 KB and are refused; that is counted, not hidden.
- **Full stack**: separate processes on 127.0.0.1: the fake connector (`bench/connector.py`, the
  activities' `serviceUrl`), StageCoach (`python app.py`, `STATE_STORE=sqlite:///<tmp>/state.db`, no
  app id), the bare endpoint (`bench/bare.py`) and a load generator per run (`bench/load.py`: asyncio +
  aiohttp). Each conversation is a user sending the next turn as soon as the last was answered, cycling
  through 14 turns: 7 questions (one a follow-up) and 7 checkpoint-check turns (picker, start, typed
  answers, a question mid-check, summary). A turn's latency is its POST to `/api/messages` until the
  response; StageCoach has posted its replies to the connector by then. Per run: {args.warmup:g} s warm-up,
  {args.duration:g} s counted.
- **Ceiling**: the bare endpoint parses the activity and posts one reply of
  {result.reply_bytes_per_turn:,.0f} bytes (StageCoach's mean per turn; it posts
  {result.posts_per_turn:.2f} activities per turn) to the same connector with one pooled
  `aiohttp.ClientSession`, then answers 201. StageCoach and bare runs alternate, in alternating order,
  {result.rounds} rounds; figures are medians over the rounds, and the ratio is taken per round.
- **Cost**: VmRSS of the StageCoach process after all runs; start-up is from spawning `python app.py`
  to the first question answered with 201 (its reply posted).
- Server CPU per turn: the server process's user + system time (all threads) over the turns of a run.

{NOTES.read_text(encoding="utf-8").strip()}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved StageCoach/bare rounds (default 5)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of each run not counted")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds of each run counted")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print("Understanding (in process) ...", flush=True)
    rows = understanding_rows(lambda line: print(line, flush=True))
    print("Full stack over HTTP ...", flush=True)
    result = measure_full_stack(
        CONCURRENCY, args.rounds, args.warmup, args.duration, progress=lambda line: print(line, flush=True)
    )
    rows += full_stack_rows(result)
    seconds = time.perf_counter() - started
    print()
    print(table(rows))
    if not args.no_write:
        RESULTS.write_text(results_markdown(rows, result, seconds, args), encoding="utf-8")
        print(f"\nWritten to {RESULTS} ({seconds:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
