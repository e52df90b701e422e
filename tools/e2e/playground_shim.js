// Init script for the Microsoft 365 Agents Playground page (tests/e2e/test_playground.py).
//
// Playground 0.2.28 bug: a click on an Action.Submit whose data holds the Teams "msteams" object
// (messageBack, imBack, ...) throws "Cannot add property msTeams, object is not extensible" and sends
// nothing: the card's data lives in the app's frozen (immer) state, and the renderer writes the
// parsed msteams object back into it. Real Teams handles these buttons. This keeps exactly those
// objects (the data object with an msteams key, and the msteams object) unfrozen; everything else
// is frozen as before.
(() => {
  const freeze = Object.freeze;
  const TEAMS_ACTIONS = new Set(["messageBack", "imBack", "invoke", "signin", "task/fetch"]);
  const isTeamsActionData = (o) =>
    o !== null &&
    typeof o === "object" &&
    (Object.prototype.hasOwnProperty.call(o, "msteams") || TEAMS_ACTIONS.has(o.type));
  Object.freeze = (o) => (isTeamsActionData(o) ? o : freeze(o));
})();
