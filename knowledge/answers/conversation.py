"""What StageCoach says around the answers: help, greetings, thanks, and the honest "I don't know"."""

from __future__ import annotations

from knowledge.answers.base import Answer, Item, Section

EXAMPLE_QUESTIONS = (
    "Who owns Realize Value?",
    "What are the checkpoints for Qualify?",
    "What does a CSA do?",
    "Which stage is 80%?",
)


def not_said(unknown_words: tuple[str, ...]) -> str:
    """ "the MCEM guide and the MSSP document don't say anything about “quota”", or that it is not covered."""
    if unknown_words:
        said = ", ".join(f"\u201c{w}\u201d" for w in unknown_words[:3])
        return f"the MCEM guide and the MSSP document don't say anything about {said}"
    return "it's not covered by the MCEM guide or the MSSP document"


def fallback(unknown_words: tuple[str, ...] = ()) -> Answer:
    return Answer(
        kind="fallback",
        title="I don't know that",
        headline=f"Sorry, I don't know that: {not_said(unknown_words)}. I can answer "
        "questions about the MCEM roles, units and stages and the MSSP sales stages, and walk you through a "
        "checkpoint check.",
        note="Try one of these:",
        suggestions=EXAMPLE_QUESTIONS[:3],
        confidence=0.0,
    )


def too_long() -> Answer:
    return Answer(
        kind="too_long",
        title="That message is long",
        headline="That message is too long for me: please ask one short question at a time.",
        suggestions=EXAMPLE_QUESTIONS[:2],
    )


def did_you_mean(candidates: tuple[str, ...], unknown_words: tuple[str, ...] = ()) -> Answer:
    reason = f": {not_said(unknown_words)}" if unknown_words else ""
    return Answer(
        kind="did_you_mean",
        title="Did you mean ...?",
        headline=f"I'm not sure what you mean{reason}. Did you mean "
        + ("this?" if len(candidates) == 1 else "one of these?"),
        suggestions=candidates,
    )


def help_answer() -> Answer:
    return Answer(
        kind="help",
        title="What StageCoach can do",
        headline="I answer questions about MCEM and MSSP, straight from the two guides, "
        "and walk you through a checkpoint check of an opportunity.",
        sections=(
            Section(
                "Ask me",
                (
                    Item("Who owns an MCEM stage, and its exit criteria: \u201cWho owns Realize Value?\u201d"),
                    Item("Roles and units: \u201cWhat does a CSA do?\u201d, \u201cWhich unit is the SE in?\u201d"),
                    Item("Role assignments: \u201cWho is involved in COMPETE?\u201d"),
                    Item("MSSP stages: \u201cProbability at Proof\u201d, \u201cCheckpoints for Qualify\u201d"),
                    Item("Acronyms: \u201cWhat does SOW stand for?\u201d"),
                ),
            ),
            Section(
                "Check an opportunity",
                (
                    Item("\u201cqualify\u201d or \u201crun the checkpoint check for Proof\u201d"),
                    Item("Answer yes, no or not sure; say back, restart or cancel at any time."),
                ),
            ),
        ),
        suggestions=(EXAMPLE_QUESTIONS[0], "qualify"),
    )


def greeting() -> Answer:
    return Answer(
        kind="greeting",
        title="Hi, I'm StageCoach",
        headline="Hi! Ask me about MCEM roles and stages or MSSP sales stages, or say \u201cqualify\u201d "
        "to check an opportunity against a stage's checkpoints.",
        suggestions=EXAMPLE_QUESTIONS[:3],
    )


def thanks() -> Answer:
    return Answer(
        kind="thanks", title="StageCoach", headline="You're welcome. Ask me anything else about MCEM or MSSP."
    )


def no_referent() -> Answer:
    """ "which unit are both of those roles in?" when nothing was listed before: asked back, not guessed."""
    return Answer(
        kind="no_referent",
        title="Which ones?",
        headline="I'm not sure which ones you mean: nothing was listed before in this chat. Please name them, "
        "for example \u201cwhich unit are the AE and the ATS in?\u201d.",
        suggestions=EXAMPLE_QUESTIONS[:2],
    )
