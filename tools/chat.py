"""A terminal chat with StageCoach: the same understanding, dialogs and cards as in Teams, as text.

    make chat        (or: .venv/bin/python -m tools.chat)

Type a question, "qualify" to run a checkpoint check, or a button's number to press it; "quit" ends.
"""

from __future__ import annotations

import sys
from typing import Any

from cards.render import card_buttons, card_text
from dialogs.router import TurnInput, TurnResult, handle_turn
from knowledge.index import build_index
from knowledge.loader import default_knowledge


def show(result: TurnResult) -> list[dict[str, Any]]:
    """Print the replies; return the buttons' data in the order they were numbered."""
    buttons: list[dict[str, Any]] = []
    for reply in result.replies:
        if reply.text:
            print(reply.text)
        if reply.card:
            body = card_text({**reply.card, "actions": []}).split("\n[")[0]
            print(body)
            for action in card_buttons(reply.card):
                buttons.append(action.get("data", {}))
                print(f"  [{len(buttons)}] {action.get('title')}")
        print()
    return buttons


def main() -> int:
    index = build_index(default_knowledge())
    state: dict[str, Any] | None = None
    buttons: list[dict[str, Any]] = []
    print("StageCoach terminal chat. Ask a question, say qualify, press a button by its number, quit to leave.\n")
    while True:
        try:
            line = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.lower() in ("quit", "exit") and not (state or {}).get("check"):
            return 0
        turn = TurnInput(text=line)
        if line.isdigit() and 0 < int(line) <= len(buttons):
            turn = TurnInput(text=None, value=buttons[int(line) - 1])
        result = handle_turn(index, state, turn)
        state = result.state
        if result.answered_card:
            print("(card updated: " + card_text(result.answered_card).splitlines()[-1] + ")")
        buttons = show(result)


if __name__ == "__main__":
    sys.exit(main())
