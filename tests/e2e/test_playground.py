"""StageCoach end to end in the Microsoft 365 Agents Playground, used the way a seller would.

The real bot (`python app.py`, memory state) and the Playground (npm @microsoft/m365agentsplayground,
Teams channel) run on 127.0.0.1 only (tools/e2e/listen_localhost.js pins the Playground's servers);
headless Debian Chromium opens the Playground's web UI with every outside request blocked, types
messages, @mentions the bot in the group chat and presses card buttons. A screenshot of each step
goes to artifacts/e2e/. The tests run in order: they are the steps of one conversation.

    .venv/bin/python -m pytest -q -m e2e tests/e2e/test_playground.py
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cards.render import ANSWER_TITLES
from cards.titles import button_title
from tools.e2e import browser as chromium_browser
from tools.e2e.playground_ui import BOT_NAME, PlaygroundChat
from tools.e2e.processes import bot_server, is_loopback, listening_addresses, playground

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "e2e"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(chromium_browser.missing() is not None, reason=str(chromium_browser.missing())),
]

QUALIFY = (
    "Pain admitted by sponsor or Compelling event identified",
    "Sponsor has buying vision",
    "Sponsor agrees to explore",
    "Access to power negotiated",
)


@pytest.fixture(scope="module")
def chat() -> Iterator[PlaygroundChat]:
    """Bot + Playground + Chromium for the whole module; every process is stopped afterwards."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    logs = ARTIFACTS / "logs"
    timings: dict[str, float] = {}
    started = time.monotonic()
    with bot_server(logs) as bot, playground(bot.url, logs) as pg:
        timings["bot_and_playground_ready_s"] = round(time.monotonic() - started, 1)
        for service in (bot, pg):
            addresses = listening_addresses(service.pgid)
            assert addresses, f"{service.name} listens on nothing?"
            assert all(is_loopback(a) for a, _ in addresses), f"{service.name} listens on {addresses}"
        with chromium_browser.chromium(viewport=(1400, 1000)) as browser:
            page = browser.context.new_page()
            helper = PlaygroundChat.open(page, pg.url, ARTIFACTS)
            yield helper
            failed = re.findall(
                r"\b(?:message|invoke|conversationUpdate|installationUpdate) [45]\d\d\b", helper.log_panel()
            )
            assert not failed, f"the Playground logged failed activities: {failed}"
            assert "message 201" in helper.log_panel(), "the log panel check looks at nothing"
            (ARTIFACTS / "blocked-requests.txt").write_text("\n".join(browser.blocked) + "\n", encoding="utf-8")
            assert all(not chromium_browser.is_local(url) for url in browser.blocked)
        assert not [e for e in helper.errors if "msTeams" in e], "the Playground shim did not apply"
        errors = [line for line in bot.log_tail(200_000).splitlines() if '"level": "error"' in line]
        assert not errors, "the bot logged errors:\n" + "\n".join(errors)
    timings["total_s"] = round(time.monotonic() - started, 1)
    (ARTIFACTS / "timings.json").write_text(json.dumps(timings, indent=2) + "\n", encoding="utf-8")


# --- personal chat ----------------------------------------------------------------------------------


def test_1_welcome_card_when_the_chat_opens(chat: PlaygroundChat) -> None:
    card = chat.wait_for_card("Welcome to StageCoach", timeout=40)
    chat.page.wait_for_timeout(1000)  # installationUpdate and conversationUpdate both arrive: one welcome
    assert chat.cards().filter(has_text="Welcome to StageCoach").count() == 1
    for title in (button_title("Who owns Realize Value?"), "Check an opportunity"):
        assert card.get_by_role("button", name=title).is_visible()
    chat.screenshot("welcome")


def test_2_owner_question_gets_the_unit_and_its_roles(chat: PlaygroundChat) -> None:
    before = chat.send("who owns Realize Value?")
    card = chat.wait_for_card("Realize Value is owned by", after=before)
    text = card.inner_text()
    assert "CSU (Customer Success Unit)" in text
    assert "CSAM (Customer Success Account Manager)" in text and "CSA (Cloud Solution Architect)" in text
    assert "ATU" not in text and "STU" not in text
    chat.screenshot("owner-answer")


def test_3_follow_up_and_a_typo(chat: PlaygroundChat) -> None:
    before = chat.send("who owns Realize Value?")  # what the follow-up refers back to
    chat.wait_for_card("Realize Value is owned by", after=before)
    before = chat.send("and Inspire & Design?")
    card = chat.wait_for_card("Inspire & Design", after=before)
    assert "STU (Solution Team Unit)" in card.inner_text()
    chat.screenshot("follow-up")
    before = chat.send("probabilty at proof")
    card = chat.wait_for_card("Proof", after=before)
    assert "The probability at Proof is 60%." in card.inner_text()
    chat.screenshot("typo")


def test_4_a_card_button_asks_its_question(chat: PlaygroundChat) -> None:
    before = chat.send("who owns Realize Value?")
    owner = chat.wait_for_card("Realize Value is owned by", after=before)
    before = chat.click(owner, button_title("Exit criteria for Realize Value"))
    card = chat.wait_for_card("The exit criteria for Realize Value", after=before)
    assert "Outcomes met and baseline metrics in place" in card.inner_text()
    chat.screenshot("button-reply")


def _run_qualify_check(chat: PlaygroundChat, mention: str | None, prefix: str) -> None:
    """qualify Qualify; Yes, (a question), No, Not sure, Yes by clicking; the summary says 2 of 4."""
    before = chat.send("qualify Qualify", mention=mention)
    question = chat.wait_for_card("Checkpoint 1 of 4", QUALIFY[0], after=before)
    chat.screenshot(f"{prefix}check-first-checkpoint")

    before = chat.click(question, ANSWER_TITLES["yes"])
    chat.wait_for_card(f"Your answer: {ANSWER_TITLES['yes']}", QUALIFY[0])  # the pressed card, updated in place
    question = chat.wait_for_card("Checkpoint 2 of 4", QUALIFY[1], after=before)

    before = chat.send("who owns Realize Value?", mention=mention)  # an interruption
    answer = chat.wait_for_card("Realize Value is owned by", after=before)
    assert "CSU (Customer Success Unit)" in answer.inner_text()
    question = chat.wait_for_card("Checkpoint 2 of 4", QUALIFY[1], after=before)  # asked again
    chat.screenshot(f"{prefix}check-interrupted")

    for step, (title, checkpoint) in enumerate(
        zip((ANSWER_TITLES["no"], ANSWER_TITLES["unsure"]), QUALIFY[1:3], strict=True), start=2
    ):
        before = chat.click(question, title)
        chat.wait_for_card(f"Your answer: {title}", checkpoint)
        question = chat.wait_for_card(f"Checkpoint {step + 1} of 4", QUALIFY[step], after=before)
    before = chat.click(question, ANSWER_TITLES["yes"])

    summary = chat.wait_for_card("2 of 4 met", after=before)
    text = summary.inner_text()
    # The one-sentence result is the reply's text, shown above the card.
    chat.wait_for_text("Qualify: 2 of 4 checkpoints met; still open: 1 missing, 1 not sure.")
    assert text.count("Met") >= 2 and "Missing" in text and "Not sure" in text
    for checkpoint in QUALIFY:
        assert checkpoint in text
    assert "Next steps: the key steps of Qualify" in text
    assert summary.get_by_role("button", name="Re-check Qualify").is_visible()
    summary.scroll_into_view_if_needed()
    chat.screenshot(f"{prefix}check-summary")


def test_5_a_whole_checkpoint_check_by_clicking(chat: PlaygroundChat) -> None:
    _run_qualify_check(chat, mention=None, prefix="")


# --- group chat: the bot answers when mentioned ------------------------------------------------


def test_6_group_chat_with_mentions(chat: PlaygroundChat) -> None:
    chat.select_chat("Group Chat")
    chat.wait_for_card("Welcome to StageCoach", timeout=30)  # said once, when the bot joined
    assert chat.cards().filter(has_text="Welcome to StageCoach").count() == 1
    chat.screenshot("group-welcome")

    before = chat.send("who owns Realize Value?", mention=BOT_NAME)
    card = chat.wait_for_card("Realize Value is owned by", after=before)
    assert "CSU (Customer Success Unit)" in card.inner_text()
    before = chat.send("and Inspire & Design?", mention=BOT_NAME)
    card = chat.wait_for_card("Inspire & Design", after=before)
    assert "STU (Solution Team Unit)" in card.inner_text()
    before = chat.send("probabilty at proof", mention=BOT_NAME)
    assert "60%" in chat.wait_for_card("Proof", after=before).inner_text()
    chat.screenshot("group-answers")

    before = chat.click(card, button_title("Exit criteria for Inspire & Design"))
    assert (
        "Customer aligned to solution and business case"
        in chat.wait_for_card("The exit criteria for Inspire & Design", after=before).inner_text()
    )
    chat.screenshot("group-button-reply")

    _run_qualify_check(chat, mention=BOT_NAME, prefix="group-")
