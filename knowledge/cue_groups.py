"""The cue groups the understanding code reads, by name: each must be defined in lexicon.yaml's `cues`,
and lexicon.yaml may define no other (the loader checks both at start-up, naming file and key).

A cue group is a set of phrases that tell one kind of question from another ("owner": own, owns,
accountable ...). The phrases are data (knowledge/data/lexicon.yaml); which groups exist is code.
"""

CUE_GROUPS = frozenset(
    {
        # what is asked
        "owner", "who", "roles_word", "unit_word", "belongs", "unit_scope", "exit", "probability", "objective",
        "outcome", "checkpoints", "key_steps", "involved", "does", "definition", "focus", "mcem_focus",
        "responsibilities", "glossary", "together", "connects",
        # which document or collection
        "mssp_context", "mcem_context", "mcem_name", "mssp_name", "stage_word", "units_list", "roles_list",
        # order and position
        "next", "previous", "first", "last", "list", "count",
        # how the question is put (knowledge/compose.py)
        "compare", "every", "situation", "tag_question", "duration", "maps_to", "above", "below", "in_common",
        # conversation
        "help", "greeting", "thanks",
    }
)  # fmt: skip
