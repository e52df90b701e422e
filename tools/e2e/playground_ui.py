"""Driving the Microsoft 365 Agents Playground's web UI (a React app) like a user, with Playwright.

The selectors are the accessible names the Playground gives its controls, not its generated CSS
class names: the chat list items (aria-label "Personal Chat", "Group Chat"), the message box
(role textbox), the mention picker (role menuitem), and the Adaptive Cards the renderer draws
(.ac-adaptiveCard, buttons named by their titles).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Locator, Page

SHIM = Path(__file__).resolve().parent / "playground_shim.js"
CARD = ".ac-adaptiveCard"
MESSAGE_BOX = '[role="textbox"][contenteditable="true"]'
BOT_NAME = "Test Bot"  # the Playground's name for the app under test
REPLY_TIMEOUT = 20.0


@dataclass
class PlaygroundChat:
    page: Page
    shots: Path
    errors: list[str] = field(default_factory=list)
    _shot: int = 0

    @classmethod
    def open(cls, page: Page, url: str, shots: Path) -> PlaygroundChat:
        chat = cls(page, shots)
        page.add_init_script(path=str(SHIM))
        page.on("pageerror", lambda error: chat.errors.append(str(error)))
        page.goto(url)
        return chat

    # --- looking ---------------------------------------------------------------------------

    def cards(self) -> Locator:
        return self.page.locator(CARD)

    def card_count(self) -> int:
        return self.cards().count()

    def wait_for_card(self, *texts: str, after: int = 0, timeout: float = REPLY_TIMEOUT) -> Locator:
        """The first card, from index `after` on, that shows every one of texts."""
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while time.monotonic() < deadline:
            cards = self.cards()
            seen = []
            for i in range(after, cards.count()):
                card = cards.nth(i)
                try:
                    shown = card.inner_text(timeout=2000)
                except Exception:  # re-rendered under us: look again
                    continue
                seen.append(shown)
                if all(t in shown for t in texts):
                    return card
            time.sleep(0.1)
        raise AssertionError(
            f"no card with {texts} after #{after}; page errors {self.errors}; cards seen:\n" + "\n---\n".join(seen)
        )

    def wait_for_text(self, text: str, timeout: float = REPLY_TIMEOUT) -> Locator:
        found = self.page.get_by_text(text, exact=False).last
        found.wait_for(timeout=timeout * 1000)
        return found

    def log_panel(self) -> str:
        """The Playground's log panel: each activity both ways, with the HTTP status it got."""
        panel = self.page.get_by_text("Log Panel", exact=True).locator("xpath=../..")
        return panel.inner_text() if panel.count() else ""

    # --- doing -----------------------------------------------------------------------------

    def select_chat(self, name: str) -> None:
        self.page.locator(f'[aria-label="{name}"]').first.click()
        self.page.locator(MESSAGE_BOX).wait_for()

    def send(self, text: str, mention: str | None = None) -> int:
        """Type and send a message (after an @mention of `mention`); the card count before it."""
        before = self.card_count()
        box = self.page.locator(MESSAGE_BOX)
        box.click()
        if mention:
            self.page.keyboard.type("@")
            self.page.get_by_role("menuitem", name=mention).click()
            self.page.keyboard.type(" ")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")
        return before

    def click(self, card: Locator, title: str) -> int:
        """Press a card's button; the card count before it."""
        before = self.card_count()
        card.get_by_role("button", name=title, exact=True).click()
        return before

    def screenshot(self, name: str) -> Path:
        self._shot += 1
        self.shots.mkdir(parents=True, exist_ok=True)
        path = self.shots / f"{self._shot:02d}-{name}.png"
        self.page.wait_for_timeout(300)  # let the last message settle (scroll, fonts)
        self.page.screenshot(path=str(path))
        return path
