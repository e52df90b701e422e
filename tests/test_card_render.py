"""The cards of tests/test_card_schema.py drawn by Microsoft's Adaptive Cards renderer, as Teams would.

The renderer is npm adaptivecards (tools/node/node_modules/adaptivecards/dist/adaptivecards.min.js)
with a Teams-like light host config (tests/e2e/teams_host_config.json), in headless Debian Chromium
driven by Playwright; the page is inlined (page.set_content), so it loads nothing from anywhere.
A card fails on any parse warning, validation failure (validateProperties), element dropped while
parsing or rendering, button title cut off, content wider than the card, or console error.
A screenshot of every card goes to artifacts/cards/<name>.png.

    .venv/bin/python -m pytest -q tests/test_card_render.py
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from cards.render import escape_markdown
from tools.e2e import browser as chromium_browser
from tools.e2e.card_corpus import card_names, representative_cards
from tools.e2e.card_page import host_config, page_html

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "cards"

pytestmark = pytest.mark.skipif(chromium_browser.missing() is not None, reason=str(chromium_browser.missing()))

# Cards that still break the Teams host config, each with why. strict: fixing one fails its xfail,
# so the entry is removed with the fix.
KNOWN_PROBLEMS: dict[str, str] = {}


@dataclass
class Renderer:
    page: Any
    config: dict[str, Any]
    console: list[str] = field(default_factory=list)

    def render(self, card: dict[str, Any], screenshot: Path | None = None) -> list[str]:
        self.console.clear()
        result = self.page.evaluate("([card, config]) => renderCard(card, config)", [card, self.config])
        if screenshot:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            self.page.locator("#frame").screenshot(path=str(screenshot))
        return [*result["problems"], *(f"console: {line}" for line in self.console)]


@pytest.fixture(scope="module")
def renderer() -> Iterator[Renderer]:
    with chromium_browser.chromium(viewport=(800, 900)) as browser:
        page = browser.context.new_page()
        helper = Renderer(page, host_config())
        page.on("console", lambda m: helper.console.append(f"{m.type}: {m.text}") if m.type != "debug" else None)
        page.on("pageerror", lambda e: helper.console.append(f"page error: {e}"))
        page.set_content(page_html())
        assert page.evaluate("typeof AdaptiveCards.AdaptiveCard") == "function"
        yield helper
        assert not browser.blocked, f"the page tried to reach outside hosts: {browser.blocked}"


@pytest.fixture(scope="module")
def rendered(renderer: Renderer) -> dict[str, list[str]]:
    """Every representative card rendered once (with its screenshot): name -> problems."""
    return {name: renderer.render(card, ARTIFACTS / f"{name}.png") for name, card in representative_cards().items()}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_PROBLEMS[n], strict=True)) if n in KNOWN_PROBLEMS else n
        for n in card_names()
    ],
)
def test_card_renders_cleanly_in_teams_renderer(rendered: dict[str, list[str]], name: str) -> None:
    problems = rendered[name]
    assert not problems, f"{name}:\n" + "\n".join(problems)
    assert (ARTIFACTS / f"{name}.png").stat().st_size > 1000


def _card(*body: dict[str, Any], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"type": "AdaptiveCard", "version": "1.5", "body": list(body), "actions": actions or []}


def _submit(title: str) -> dict[str, Any]:
    return {"type": "Action.Submit", "title": title, "data": {"action": "ask", "question": title}}


def test_the_harness_reports_what_teams_would_drop(renderer: Renderer) -> None:
    text = {"type": "TextBlock", "text": "Hello", "wrap": True}
    assert renderer.render(_card(text, actions=[_submit("Yes")])) == []
    unknown = renderer.render(_card(text, {"type": "Carousel", "pages": []}))
    assert any("Carousel" in p for p in unknown), unknown
    seven = renderer.render(_card(text, actions=[_submit(f"Button {i}") for i in range(7)]))
    assert any("TooManyActions" in p for p in seven), seven
    long_title = renderer.render(_card(text, actions=[_submit("A very long button title " * 6)]))
    assert any("cut off" in p for p in long_title), long_title
    bad_style = renderer.render(_card(text, actions=[{**_submit("Go"), "style": "primary"}]))
    assert bad_style, "an unknown action style is a parse warning"


def test_escaped_user_text_is_shown_literally(renderer: Renderer) -> None:
    """cards.render.escape_markdown + the markdown Teams applies: what the user typed is what shows."""
    typed = "*not bold* _nor this_ [link](https://example.com) <b>tag</b> # 1. - x"
    card = _card({"type": "TextBlock", "text": escape_markdown(typed), "wrap": True})
    assert renderer.render(card) == []
    shown = renderer.page.locator("#host .ac-textBlock").inner_text()
    assert shown.strip() == typed
    assert renderer.page.locator("#host .ac-textBlock a, #host .ac-textBlock strong").count() == 0


def test_lists_render_as_lists(renderer: Renderer) -> None:
    cards = representative_cards()
    renderer.render(cards["answer-mssp.key_steps"])
    assert renderer.page.locator("#host ul > li").count() >= 3
    renderer.render(cards["summary-gaps"])
    assert renderer.page.locator("#host ol > li").count() >= 3


def test_host_config_is_teams_like() -> None:
    config = json.loads((Path(__file__).parent / "e2e" / "teams_host_config.json").read_text(encoding="utf-8"))
    assert config["actions"]["maxActions"] == 6
    assert config["supportsInteractivity"] is True
    assert set(config["containerStyles"]) >= {"default", "emphasis", "accent", "good", "attention", "warning"}
