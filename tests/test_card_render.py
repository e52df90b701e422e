"""The cards of tests/test_card_schema.py drawn by Microsoft's Adaptive Cards renderer, as Teams would.

The renderer is npm adaptivecards (tools/node/node_modules/adaptivecards/dist/adaptivecards.min.js)
with Teams-like host configs (tests/e2e/teams_host_config.json for the light theme; dark and high
contrast with Teams' palettes, tools/e2e/card_page.py), in headless Debian Chromium driven by
Playwright; the page is inlined (page.set_content), so it loads nothing from anywhere.

Every card is drawn at three card widths (240 px: a phone in split view; 320 px: a phone; 640 px: a
laptop) in each theme. A card fails on any parse warning, validation failure (validateProperties),
element dropped while parsing or rendering, button title cut off (by any amount), text clipped,
content wider than the card, console error, a text or emoji under WCAG contrast, or no heading; on a
phone also on a FactSet value column under 120 px, and a summary whose buttons are below the first
screen. A screenshot of every card goes to artifacts/cards/<width>-<theme>/<name>.png.

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
from tools.e2e.card_page import PHONE_WIDTHS, THEMES, WIDTHS, host_config, page_html

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "cards"
# A value column narrower than this holds two or three words a line.
MIN_FACT_VALUE = 120
# How far down a summary card its buttons may start on a phone: Teams' chat shows about this much of
# a card above the compose box on a 360 x 740 screen.
FIRST_SCREEN = 520

pytestmark = pytest.mark.skipif(chromium_browser.missing() is not None, reason=str(chromium_browser.missing()))

# Cards that still break the Teams host config, each with why. strict: fixing one fails its xfail,
# so the entry is removed with the fix.
KNOWN_PROBLEMS: dict[str, str] = {}


@dataclass
class Renderer:
    page: Any
    console: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=host_config)
    width: int = 640
    theme: str = "light"

    def show(self, width: int, theme: str) -> None:
        """Load the page for a card width and a theme (the renderer and harness inlined)."""
        if (width, theme) != (self.width, self.theme) or not self.page.evaluate("typeof renderCard === 'function'"):
            self.page.set_content(page_html(width, theme))
            self.width, self.theme, self.config = width, theme, host_config(theme)

    def render(self, card: dict[str, Any], screenshot: Path | None = None, **options: Any) -> list[str]:
        self.console.clear()
        result = self.page.evaluate(
            "([card, config, options]) => renderCard(card, config, options)", [card, self.config, options]
        )
        self.last_height = float(result["height"])
        if screenshot:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            self.page.locator("#frame").screenshot(path=str(screenshot))
        return [*result["problems"], *(f"console: {line}" for line in self.console)]


def reading_options(name: str, width: int) -> dict[str, Any]:
    """What a card is held to: everywhere headings and contrast; on a phone, room for values and buttons."""
    options: dict[str, Any] = {"requireHeading": True, "contrast": True}
    if width in PHONE_WIDTHS:
        options["minFactValue"] = MIN_FACT_VALUE
        if name.startswith("summary-"):
            options["firstScreen"] = FIRST_SCREEN
    return options


@pytest.fixture(scope="module")
def renderer() -> Iterator[Renderer]:
    with chromium_browser.chromium(viewport=(800, 900)) as browser:
        page = browser.context.new_page()
        helper = Renderer(page)
        page.on("console", lambda m: helper.console.append(f"{m.type}: {m.text}") if m.type != "debug" else None)
        page.on("pageerror", lambda e: helper.console.append(f"page error: {e}"))
        page.set_content(page_html())
        assert page.evaluate("typeof AdaptiveCards.AdaptiveCard") == "function"
        yield helper
        assert not browser.blocked, f"the page tried to reach outside hosts: {browser.blocked}"


@pytest.fixture(scope="module")
def rendered(renderer: Renderer) -> dict[str, dict[str, list[str]]]:
    """Every representative card at every width in every theme (with its screenshot): name -> view -> problems."""
    out: dict[str, dict[str, list[str]]] = {name: {} for name in representative_cards()}
    for width in WIDTHS:
        for theme in THEMES:
            renderer.show(width, theme)
            view = f"{width}-{theme}"
            for name, card in representative_cards().items():
                shot = ARTIFACTS / view / f"{name}.png"
                out[name][view] = renderer.render(card, shot, **reading_options(name, width))
    return out


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_PROBLEMS[n], strict=True)) if n in KNOWN_PROBLEMS else n
        for n in card_names()
    ],
)
def test_card_reads_well_at_every_width_and_theme(rendered: dict[str, dict[str, list[str]]], name: str) -> None:
    problems = [f"{view}: {p}" for view, found in rendered[name].items() for p in found]
    assert len(rendered[name]) == len(WIDTHS) * len(THEMES)
    assert not problems, f"{name}:\n" + "\n".join(problems)
    for view in rendered[name]:
        assert (ARTIFACTS / view / f"{name}.png").stat().st_size > 1000


def _card(*body: dict[str, Any], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"type": "AdaptiveCard", "version": "1.5", "body": list(body), "actions": actions or []}


def _heading() -> dict[str, Any]:
    return {"type": "TextBlock", "text": "Title", "style": "heading", "wrap": True}


def _submit(title: str) -> dict[str, Any]:
    return {"type": "Action.Submit", "title": title, "data": {"action": "ask", "question": title}}


def test_the_harness_reports_what_teams_would_drop(renderer: Renderer) -> None:
    renderer.show(640, "light")
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


def test_the_harness_reports_what_is_hard_to_read(renderer: Renderer) -> None:
    """Each reading check fires on a card made to break it, and stays quiet on the same card done right."""
    renderer.show(240, "light")
    heading = {"type": "TextBlock", "text": "Title", "style": "heading", "wrap": True}
    assert renderer.render(_card(heading), requireHeading=True) == []
    plain = {"type": "TextBlock", "text": "Title", "wrap": True}
    assert any("no heading" in p for p in renderer.render(_card(plain), requireHeading=True))

    long_label = {
        "type": "FactSet",
        "facts": [{"title": "Exit criterion still to reach", "value": "Qualified pipeline"}],
    }
    short_label = {"type": "FactSet", "facts": [{"title": "Stage", "value": "Qualified pipeline"}]}
    assert any("fact value column" in p for p in renderer.render(_card(heading, long_label), minFactValue=120))
    assert renderer.render(_card(heading, short_label), minFactValue=120) == []

    pale = {"type": "TextBlock", "text": "white on white", "color": "Light", "wrap": True}
    assert any("contrast" in p for p in renderer.render(_card(heading, pale), contrast=True))
    grey_mark = {"type": "TextBlock", "text": "\u2754 Not sure: a checkpoint", "wrap": True}
    red_mark = {"type": "TextBlock", "text": "\u2753 Not sure: a checkpoint", "wrap": True}
    assert any("emoji" in p for p in renderer.render(_card(heading, grey_mark), contrast=True))
    assert renderer.render(_card(heading, red_mark), contrast=True) == []

    lines = [{"type": "TextBlock", "text": f"Line {i}", "wrap": True} for i in range(30)]
    low = renderer.render(_card(heading, *lines, actions=[_submit("Go")]), firstScreen=520)
    assert any("first screen" in p for p in low), low
    assert renderer.render(_card(heading, actions=[_submit("Go")]), firstScreen=520) == []

    listed = {"type": "TextBlock", "text": "- " + "a long list item that wraps " * 3, "wrap": True}
    assert renderer.render(_card(heading, listed)) == []
    renderer.page.add_style_tag(content=".ac-textBlock ul { box-sizing: content-box; }")  # the old clipping
    assert any("clipped" in p for p in renderer.render(_card(heading, listed)))
    renderer.show(240, "light")
    renderer.page.set_content(renderer.page.content())  # a fresh page for the tests after this one


def test_a_title_one_pixel_too_wide_is_cut(renderer: Renderer) -> None:
    """The cut-title check is strict: a title that needs half a pixel more than its button has is cut."""
    renderer.show(240, "light")
    assert renderer.render(_card(_heading(), actions=[_submit("Qualify checkpoints")])) == []
    text_width = renderer.page.evaluate(
        "() => { const r = document.createRange();"
        " r.selectNodeContents(document.querySelector('.ac-pushButton > div'));"
        " return r.getBoundingClientRect().width; }"
    )
    for room, cut in ((text_width - 0.5, True), (text_width + 0.5, False)):
        found = renderer.page.evaluate(
            "(room) => { const b = document.querySelector('.ac-pushButton'); const t = b.firstElementChild;"
            " b.style.maxWidth = (room + 26) + 'px'; t.style.width = room + 'px'; return window.titleCut(b); }",
            room,
        )
        assert found is cut, (room, text_width)


def test_escaped_user_text_is_shown_literally(renderer: Renderer) -> None:
    """cards.render.escape_markdown + the markdown Teams applies: what the user typed is what shows."""
    renderer.show(640, "light")
    typed = "*not bold* _nor this_ [link](https://example.com) <b>tag</b> # 1. - x"
    card = _card({"type": "TextBlock", "text": escape_markdown(typed), "wrap": True})
    assert renderer.render(card) == []
    shown = renderer.page.locator("#host .ac-textBlock").inner_text()
    assert shown.strip() == typed
    assert renderer.page.locator("#host .ac-textBlock a, #host .ac-textBlock strong").count() == 0


def test_lists_render_as_lists(renderer: Renderer) -> None:
    """Numbered where the order matters (key steps, stages in order), bulleted elsewhere."""
    renderer.show(640, "light")
    cards = representative_cards()
    renderer.render(cards["answer-help"])
    assert renderer.page.locator("#host ul > li").count() >= 3
    for name in ("answer-mssp.key_steps", "answer-order.list", "summary-gaps"):
        renderer.render(cards[name])
        assert renderer.page.locator("#host ol > li").count() >= 3, name


def test_host_config_is_teams_like() -> None:
    config = json.loads((Path(__file__).parent / "e2e" / "teams_host_config.json").read_text(encoding="utf-8"))
    assert config["actions"]["maxActions"] == 6
    assert config["supportsInteractivity"] is True
    assert set(config["containerStyles"]) >= {"default", "emphasis", "accent", "good", "attention", "warning"}
