"""A self-contained HTML page that renders Adaptive Cards the way Teams draws them in a chat.

The page inlines Microsoft's renderer (tools/node/node_modules/adaptivecards/dist/adaptivecards.min.js)
and tools/e2e/card_harness.js, so it is loaded with page.set_content and makes no request at all.
The CSS gives the renderer's CSS classes Teams' look: a white message bubble on the grey chat
background, and Teams' buttons (the positive one filled, the destructive one red).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tools.e2e.browser import NODE_MODULES, REPO

RENDERER = NODE_MODULES / "adaptivecards" / "dist" / "adaptivecards.min.js"
HARNESS = Path(__file__).resolve().parent / "card_harness.js"
HOST_CONFIG = REPO / "tests" / "e2e" / "teams_host_config.json"
# The message column of a Teams chat on a laptop, where a card with msteams.width Full takes it all.
CARD_WIDTH = 640

CSS = """
html, body { margin: 0; background: #f5f5f5; font-family: 'Segoe UI', 'DejaVu Sans', sans-serif; }
#frame { padding: 16px 20px; width: %(width)dpx; }
#sender { font-size: 12px; color: #616161; margin: 0 0 4px 2px; }
#sender b { color: #242424; font-weight: 600; margin-right: 8px; }
#host { background: #fff; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.14), 0 0 2px rgba(0,0,0,.12);
        overflow: hidden; }
.ac-adaptiveCard { border-radius: 6px; }
.ac-textBlock p { margin: 0; }
.ac-textBlock p + p, .ac-textBlock p + ul, .ac-textBlock p + ol { margin-top: 6px; }
.ac-textBlock ul, .ac-textBlock ol { margin: 0; padding-left: 22px; }
.ac-textBlock li { margin: 2px 0; }
.ac-textBlock a { color: #5b5fc7; }
.ac-pushButton { font-family: inherit; font-size: 14px; font-weight: 600; color: #242424; background: #fff;
                 border: 1px solid #d1d1d1; border-radius: 4px; padding: 5px 12px; min-height: 32px;
                 cursor: pointer; overflow: hidden; }
.ac-pushButton > div { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.ac-pushButton:hover { background: #f5f5f5; }
.ac-pushButton.style-positive { background: #5b5fc7; border-color: #5b5fc7; color: #fff; }
.ac-pushButton.style-destructive { color: #c4314b; border-color: #c4314b; }
"""


def page_html(width: int = CARD_WIDTH) -> str:
    script = RENDERER.read_text(encoding="utf-8") + "\n" + HARNESS.read_text(encoding="utf-8")
    script = script.replace("</script", "<\\/script")
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>StageCoach cards</title>"
        f"<style>{CSS % {'width': width}}</style></head><body>"
        "<div id='frame'><div id='sender'><b>StageCoach</b>10:42</div><div id='host'></div></div>"
        f"<script>{script}</script></body></html>"
    )


def host_config() -> dict[str, Any]:
    config = json.loads(HOST_CONFIG.read_text(encoding="utf-8"))
    config.pop("_comment", None)
    return config
