#!/usr/bin/env python3
"""The project's own copy of the workspace's conversation scorer (same JSON case format, same checks).

Black-box conversation checks for a Bot Framework bot, over its real HTTP endpoint.

Each case is one conversation: turns are sent as Bot Framework message activities
(channelId "msteams") to the bot's /api/messages, as a channel would send them.
Replies are read from a local capture server that stands in for the channel's
serviceUrl and, with --expect-replies, from the response body as well.

What a reply "says" is its text plus every text, title, label and fact inside its
attachments' bodies (Adaptive Card, hero card); buttons and suggested actions are
left out, so a menu of example questions cannot satisfy a check.

A turn passes when:
  all  - every phrase appears,
  any  - for each group, at least one phrase of the group appears,
  none - no phrase appears.
Phrases are matched case-insensitively on word boundaries after folding '&' to
'and', curly quotes and dashes, and markdown emphasis.

Usage:
  botprobe.py --url http://127.0.0.1:3978/api/messages CASES.json [--report out.json] [--expect-replies]
Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SKIP_KEYS = {"actions", "selectAction", "suggestedActions", "buttons", "tap", "inlineAction"}
TEXT_KEYS = {"text", "title", "subtitle", "value", "label", "placeholder", "fallbackText", "name"}


def fold(s: str) -> str:
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    s = s.replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    s = s.replace("&amp;", "&").replace("&", " and ")
    s = re.sub(r"[*_`]+", "", s)
    s = re.sub(r"\s+", " ", s)
    return s.strip().lower()


def card_strings(node, out: list[str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if k in SKIP_KEYS:
                continue
            if isinstance(v, str) and k in TEXT_KEYS:
                out.append(v)
            else:
                card_strings(v, out)
    elif isinstance(node, list):
        for v in node:
            card_strings(v, out)


def said(activities: list[dict]) -> str:
    parts: list[str] = []
    for a in activities:
        if a.get("type", "message") != "message":
            continue
        if a.get("text"):
            parts.append(a["text"])
        for att in a.get("attachments") or []:
            content = att.get("content")
            if isinstance(content, str):
                try:
                    content = json.loads(content)
                except ValueError:
                    parts.append(content)
                    continue
            card_strings(content, parts)
    return fold("\n".join(parts))


def has(text: str, phrase: str) -> bool:
    p = fold(phrase)
    left = r"\b" if re.match(r"\w", p) else ""
    right = r"\b" if re.search(r"\w$", p) else ""
    return re.search(left + re.escape(p) + right, text) is not None


class Capture:
    """A stand-in channel: accepts whatever the bot posts to serviceUrl."""

    def __init__(self) -> None:
        self.posted: dict[str, list[dict]] = {}
        self.lock = threading.Lock()
        cap = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _body(self):
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n) if n else b""
                try:
                    return json.loads(raw or b"{}")
                except ValueError:
                    return {}

            def _ok(self, payload=None):
                data = json.dumps(payload or {"id": uuid.uuid4().hex}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                body = self._body()
                m = re.search(r"/v3/conversations/([^/]+)/activities", self.path)
                if m and isinstance(body, dict):
                    conv = urllib.request.unquote(m.group(1))
                    with cap.lock:
                        cap.posted.setdefault(conv, []).append(body)
                self._ok()

            def do_PUT(self):
                self.do_POST()

            def do_GET(self):
                self._ok({"id": "user", "name": "Probe User"})

            def do_DELETE(self):
                self._ok()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def take(self, conv: str) -> list[dict]:
        with self.lock:
            return self.posted.pop(conv, [])


class Conversation:
    def __init__(self, url: str, capture: Capture, channel: str = "msteams", expect_replies: bool = False) -> None:
        self.url, self.capture, self.channel, self.expect_replies = url, capture, channel, expect_replies
        self.id = "probe-" + uuid.uuid4().hex[:12]
        self.user = {"id": "u-" + uuid.uuid4().hex[:8], "name": "Probe User", "aadObjectId": str(uuid.uuid4())}

    def send(self, text: str | None = None, value: dict | None = None, timeout: float = 15.0):
        act = {
            "type": "message",
            "id": uuid.uuid4().hex,
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
            "channelId": self.channel,
            "serviceUrl": self.capture.url,
            "from": self.user,
            "recipient": {"id": "bot", "name": "bot"},
            "conversation": {"id": self.id, "conversationType": "personal", "tenantId": "probe-tenant"},
            "channelData": {"tenant": {"id": "probe-tenant"}},
            "locale": "en-US",
            "textFormat": "plain",
        }
        if self.expect_replies:
            act["deliveryMode"] = "expectReplies"
        if text is not None:
            act["text"] = text
        if value is not None:
            act["value"] = value
        req = urllib.request.Request(
            self.url, data=json.dumps(act).encode(), method="POST", headers={"Content-Type": "application/json"}
        )
        t0 = time.perf_counter()
        status, body = 0, {}
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status = r.status
                raw = r.read()
                body = json.loads(raw) if raw.strip() else {}
        except urllib.error.HTTPError as e:
            status = e.code
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            return 0, [], (time.perf_counter() - t0) * 1000, str(e)
        ms = (time.perf_counter() - t0) * 1000
        acts = list(body.get("activities") or []) if isinstance(body, dict) else []
        acts += self.capture.take(self.id)
        return status, acts, ms, ""


def check(text: str, turn: dict) -> list[str]:
    bad = [f"missing {p!r}" for p in turn.get("all", []) if not has(text, p)]
    bad += [f"none of {g!r}" for g in turn.get("any", []) if not any(has(text, p) for p in g)]
    bad += [f"forbidden {p!r}" for p in turn.get("none", []) if has(text, p)]
    return bad


def run_case(url: str, capture: Capture, case: dict, expect_replies: bool = False) -> dict:
    conv = Conversation(url, capture, expect_replies=expect_replies)
    turns = case.get("turns") or [{k: v for k, v in case.items() if k in ("say", "all", "any", "none", "submit")}]
    result = {"id": case["id"], "cat": case.get("cat", ""), "ok": True, "why": [], "ms": [], "said": []}
    for i, turn in enumerate(turns):
        status, acts, ms, err = conv.send(turn.get("say"), turn.get("submit"))
        result["ms"].append(ms)
        text = said(acts)
        result["said"].append(text[:600])
        if err or status >= 300 or status == 0:
            result["ok"] = False
            result["why"].append(f"turn {i + 1}: HTTP {status} {err}".strip())
            break
        bad = check(text, turn)
        if bad:
            result["ok"] = False
            result["why"].append(f"turn {i + 1} ({turn.get('say')!r}): " + "; ".join(bad))
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", nargs="+")
    ap.add_argument("--url", default="http://127.0.0.1:3978/api/messages")
    ap.add_argument("--report", help="write every case's result here as JSON")
    ap.add_argument("--expect-replies", action="store_true", help='send deliveryMode "expectReplies"')
    ap.add_argument("--quiet", action="store_true", help="print only the summary")
    args = ap.parse_args()

    cases = []
    for path in args.cases:
        with open(path) as f:
            cases += json.load(f)
    capture = Capture()
    results = [run_case(args.url, capture, c, args.expect_replies) for c in cases]

    by_cat: dict[str, list[bool]] = {}
    for r in results:
        by_cat.setdefault(r["cat"], []).append(r["ok"])
        if not r["ok"] and not args.quiet:
            print(f"FAIL {r['id']}: {' | '.join(r['why'])}\n     said: {r['said'][-1][:300]!r}")
    lat = sorted(ms for r in results for ms in r["ms"])
    print("\ncategory            passed")
    for cat, oks in sorted(by_cat.items()):
        print(f"{cat:<20}{sum(oks):>3}/{len(oks)}")
    if lat:
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
        print(
            f"turn latency ms: p50 {statistics.median(lat):.1f}  p95 {p(0.95):.1f}  max {lat[-1]:.1f}  ({len(lat)} turns)"
        )
    passed = sum(r["ok"] for r in results)
    if args.report:
        with open(args.report, "w") as f:
            json.dump(results, f, indent=1)
    print(f"accuracy {passed / max(1, len(results)):.3f}")
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
