"""A self-contained HTML page that renders Adaptive Cards the way Teams draws them in a chat.

The page inlines Microsoft's renderer (tools/node/node_modules/adaptivecards/dist/adaptivecards.min.js)
and tools/e2e/card_harness.js, so it is loaded with page.set_content and makes no request at all.
The CSS gives the renderer's CSS classes Teams' look: a message bubble on the chat background, and
Teams' buttons (the positive one filled, the destructive one red), in Teams' three themes: light,
dark and high contrast. The light host config is tests/e2e/teams_host_config.json; the dark and high
contrast ones are it with Teams' palette for those themes (THEMES below).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.e2e.browser import NODE_MODULES, REPO

RENDERER = NODE_MODULES / "adaptivecards" / "dist" / "adaptivecards.min.js"
HARNESS = Path(__file__).resolve().parent / "card_harness.js"
HOST_CONFIG = REPO / "tests" / "e2e" / "teams_host_config.json"
# The message column of a Teams chat on a laptop, where a card with msteams.width Full takes it all.
CARD_WIDTH = 640
# A phone: a 360 px screen gives a 320 px card; split view (280 px) a 240 px card.
PHONE_WIDTHS = (240, 320)
WIDTHS = (*PHONE_WIDTHS, CARD_WIDTH)


@dataclass(frozen=True)
class Theme:
    """Teams' colours for one theme: the chat, the message bubble, the text colours cards may name."""

    chat: str
    bubble: str
    border: str
    text: str
    subtle: str
    accent: str
    good: str
    warning: str
    attention: str
    button: str  # a button's background, border and text; the positive (primary) one
    button_border: str
    button_text: str
    primary: str
    primary_text: str
    destructive: str
    link: str


THEMES: dict[str, Theme] = {
    "light": Theme(
        chat="#f5f5f5",
        bubble="#ffffff",
        border="#e0e0e0",
        text="#242424",
        subtle="#616161",
        accent="#5b5fc7",
        good="#237b4b",
        warning="#835c00",
        attention="#c4314b",
        button="#ffffff",
        button_border="#d1d1d1",
        button_text="#242424",
        primary="#5b5fc7",
        primary_text="#ffffff",
        destructive="#c4314b",
        link="#5b5fc7",
    ),
    "dark": Theme(
        chat="#1f1f1f",
        bubble="#292929",
        border="#3d3d3d",
        text="#ffffff",
        subtle="#adadad",
        accent="#7f85f5",
        good="#92c353",
        warning="#f8d22a",
        attention="#f9526b",
        button="#292929",
        button_border="#666666",
        button_text="#ffffff",
        primary="#4f52b2",
        primary_text="#ffffff",
        destructive="#f9526b",
        link="#7f85f5",
    ),
    "contrast": Theme(
        chat="#000000",
        bubble="#000000",
        border="#ffffff",
        text="#ffffff",
        subtle="#ffffff",
        accent="#1aebff",
        good="#3ff23f",
        warning="#ffff01",
        attention="#ff6b6b",
        button="#000000",
        button_border="#ffffff",
        button_text="#ffffff",
        primary="#1aebff",
        primary_text="#000000",
        destructive="#ff6b6b",
        link="#ffff01",
    ),
}

CSS = """
html, body { margin: 0; background: %(chat)s; font-family: 'Segoe UI', 'DejaVu Sans', sans-serif; }
#frame { padding: 16px 20px; width: %(width)dpx; }
#sender { font-size: 12px; color: %(subtle)s; margin: 0 0 4px 2px; }
#sender b { color: %(text)s; font-weight: 600; margin-right: 8px; }
#host { background: %(bubble)s; border-radius: 6px; box-shadow: 0 0 0 1px %(border)s; overflow: hidden; }
.ac-adaptiveCard { border-radius: 6px; }
.ac-textBlock p { margin: 0; }
.ac-textBlock p + p, .ac-textBlock p + ul, .ac-textBlock p + ol { margin-top: 6px; }
/* The renderer gives lists width:100%%; with the indent inside that width they fit their block. */
.ac-textBlock ul, .ac-textBlock ol { margin: 0; padding-left: 22px; box-sizing: border-box; }
.ac-textBlock li { margin: 2px 0; }
.ac-textBlock a { color: %(link)s; }
.ac-pushButton { font-family: inherit; font-size: 14px; font-weight: 600; color: %(button_text)s;
                 background: %(button)s; border: 1px solid %(button_border)s; border-radius: 4px;
                 padding: 5px 12px; min-height: 32px; cursor: pointer; overflow: hidden; }
.ac-pushButton > div { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.ac-pushButton.style-positive { background: %(primary)s; border-color: %(primary)s; color: %(primary_text)s; }
.ac-pushButton.style-destructive { color: %(destructive)s; border-color: %(destructive)s; }
"""


def page_html(width: int = CARD_WIDTH, theme: str = "light") -> str:
    script = RENDERER.read_text(encoding="utf-8") + "\n" + HARNESS.read_text(encoding="utf-8")
    script = script.replace("</script", "<\\/script")
    colours = vars(THEMES[theme])
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>StageCoach cards</title>"
        f"<style>{CSS % {'width': width, **colours}}</style></head><body>"
        "<div id='frame'><div id='sender'><b>StageCoach</b>10:42</div><div id='host'></div></div>"
        f"<script>{script}</script></body></html>"
    )


def host_config(theme: str = "light") -> dict[str, Any]:
    """Teams' host config for a theme: the light one from the file, the others with their palette."""
    config = json.loads(HOST_CONFIG.read_text(encoding="utf-8"))
    config.pop("_comment", None)
    if theme == "light":
        return config
    colours = THEMES[theme]
    config = copy.deepcopy(config)
    for style in config["containerStyles"].values():
        style["backgroundColor"] = colours.bubble
        style["borderColor"] = colours.border
        fg = style["foregroundColors"]
        fg["default"] = {"default": colours.text, "subtle": colours.subtle}
        for name in ("accent", "good", "warning", "attention"):
            fg[name] = {"default": getattr(colours, name), "subtle": getattr(colours, name)}
        fg["light"] = {"default": colours.text, "subtle": colours.subtle}
        fg["dark"] = {"default": colours.text, "subtle": colours.subtle}
    return config
