// Renders Adaptive Cards with Microsoft's renderer (npm adaptivecards) and reports every problem.
// Loaded after adaptivecards.min.js by tools/e2e/card_page.py; used by tests/test_card_render.py.
//
// window.renderCard(card, hostConfig) draws the card into #host and returns
//   {problems: [...], counts: {...}}
// where problems lists parse warnings, validation failures, elements that were dropped while parsing
// or rendering, text cut off, and content wider than the card.
(function () {
  "use strict";
  const AC = window.AdaptiveCards;

  // Teams moves actions beyond maxActions into a "..." overflow menu (the Agents Playground sets the
  // same flag); validation still reports them (TooManyActions), so the tests see them.
  AC.GlobalSettings.allowMoreThanMaxActionsInOverflowMenu = true;

  // --- a small markdown subset, as Teams renders it in a TextBlock ------------------------------
  // Paragraphs, "- " and "1. " lists (nested by indentation), **bold**, _italic_ / *italic*,
  // [links](url) and backslash escapes. Everything else is shown as text (HTML is escaped).

  const ESCAPABLE = "\\`*_{}[]()#+-.!<>|~";
  const PLACEHOLDER_BASE = 0xe000; // private use area: escaped characters wait here

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function inline(text) {
    let out = text.replace(/\\(.)/g, (match, ch) =>
      ESCAPABLE.includes(ch) ? String.fromCharCode(PLACEHOLDER_BASE + ESCAPABLE.indexOf(ch)) : match
    );
    out = escapeHtml(out);
    out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (m, label, url) =>
      /^https?:\/\//.test(url) ? `<a href="${url}">${label}</a>` : m
    );
    out = out.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
    out = out.replace(/(^|[^\w])_([^_]+)_(?=[^\w]|$)/g, "$1<em>$2</em>");
    out = out.replace(/(^|[^*])\*([^*\s][^*]*)\*(?!\*)/g, "$1<em>$2</em>");
    return out.replace(/[\ue000-\ue0ff]/g, (ch) => escapeHtml(ESCAPABLE[ch.charCodeAt(0) - PLACEHOLDER_BASE]));
  }

  const LIST_ITEM = /^( *)([-*+]|\d+\.) +(.*)$/;

  function renderList(lines, start) {
    // lines[start] is a list item; returns [html, next index]
    const indent = LIST_ITEM.exec(lines[start])[1].length;
    const ordered = /\d/.test(LIST_ITEM.exec(lines[start])[2]);
    let html = ordered ? "<ol>" : "<ul>";
    let i = start;
    while (i < lines.length) {
      const m = LIST_ITEM.exec(lines[i]);
      if (!m || m[1].length < indent) break;
      if (m[1].length > indent) {
        const [nested, next] = renderList(lines, i);
        html = html.replace(/<\/li>$/, nested + "</li>");
        i = next;
        continue;
      }
      html += `<li>${inline(m[3])}</li>`;
      i += 1;
    }
    return [html + (ordered ? "</ol>" : "</ul>"), i];
  }

  function markdown(text) {
    const lines = text.replace(/\r\n?/g, "\n").split("\n");
    let html = "";
    let paragraph = [];
    const flush = () => {
      if (paragraph.length) html += `<p>${paragraph.map(inline).join("<br>")}</p>`;
      paragraph = [];
    };
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      if (LIST_ITEM.test(line)) {
        flush();
        const [list, next] = renderList(lines, i);
        html += list;
        i = next;
      } else if (!line.trim()) {
        flush();
        i += 1;
      } else {
        paragraph.push(line.trim());
        i += 1;
      }
    }
    flush();
    return html;
  }

  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = markdown(text);
    result.didProcess = true;
  };
  window.renderMarkdown = markdown;

  // --- walking the card: JSON and parsed object model ----------------------------------------

  function jsonCounts(card) {
    // element and action types in the JSON, body and actions, recursively
    const counts = {};
    const add = (type) => (counts[type] = (counts[type] || 0) + 1);
    const items = (list) => (list || []).forEach(element);
    function action(a) {
      add(a.type);
      if (a.card) items(a.card.body);
    }
    function element(e) {
      add(e.type);
      if (e.type === "Container") items(e.items);
      if (e.type === "ColumnSet") (e.columns || []).forEach((c) => { add("Column"); items(c.items); });
      if (e.type === "ActionSet") (e.actions || []).forEach(action);
    }
    items(card.body);
    (card.actions || []).forEach(action);
    return counts;
  }

  function parsedElements(card) {
    // [object, type] for every element and action of the parsed card, in document order
    const out = [];
    function visitAction(a) {
      out.push([a, a.getJsonTypeName()]);
    }
    function visit(e) {
      out.push([e, e.getJsonTypeName()]);
      if (e instanceof AC.ColumnSet) {
        for (let i = 0; i < e.getItemCount(); i++) visit(e.getColumnAt(i));
      } else if (e instanceof AC.ActionSet) {
        for (let i = 0; i < e.getActionCount(); i++) visitAction(e.getActionAt(i));
      } else if (typeof e.getItemCount === "function") {
        for (let i = 0; i < e.getItemCount(); i++) visit(e.getItemAt(i));
      }
    }
    for (let i = 0; i < card.getItemCount(); i++) visit(card.getItemAt(i));
    for (let i = 0; i < card.getActionCount(); i++) visitAction(card.getActionAt(i));
    return out;
  }

  function eventText(e) {
    const name = AC.ValidationEvent[e.event] || e.event;
    const source = e.source && e.source.getJsonTypeName ? e.source.getJsonTypeName() : "card";
    return `${name} (${source}): ${e.message}`;
  }

  function wrapButtons(root, hostConfigJson) {
    // Teams' host config sets actions.allowButtonsToWrap: a row of buttons that does not fit wraps
    // onto the next line instead of squeezing every title into "...". Renderer 3.0.6 predates the
    // option, so do what later versions do: flex-wrap with the button spacing as the gap.
    const gap = (hostConfigJson.actions.buttonSpacing || 8) + "px";
    for (const strip of root.querySelectorAll(".ac-actionSet")) {
      if (strip.style.flexDirection !== "row") continue;
      strip.style.flexWrap = "wrap";
      strip.style.gap = gap;
      for (const child of Array.from(strip.children)) {
        if (!child.matches("button, [role='button']") && !child.querySelector("button")) child.remove();
      }
    }
  }

  window.renderCard = function (cardJson, hostConfigJson) {
    const problems = [];
    const host = document.getElementById("host");
    host.innerHTML = "";

    const card = new AC.AdaptiveCard();
    card.hostConfig = new AC.HostConfig(hostConfigJson);
    const context = new AC.SerializationContext();
    card.parse(cardJson, context);
    for (let i = 0; i < context.eventCount; i++) problems.push("parse: " + eventText(context.getEventAt(i)));

    const validation = card.validateProperties();
    for (const e of validation.validationEvents) problems.push("validation: " + eventText(e));

    const expected = jsonCounts(cardJson);
    const parsed = parsedElements(card);
    const parsedCounts = {};
    for (const [, type] of parsed) parsedCounts[type] = (parsedCounts[type] || 0) + 1;
    for (const type of Object.keys(expected)) {
      if ((parsedCounts[type] || 0) !== expected[type]) {
        problems.push(`dropped while parsing: ${expected[type] - (parsedCounts[type] || 0)} ${type}`);
      }
    }

    const rendered = card.render();
    if (!rendered) {
      problems.push("the card did not render");
      return { problems, counts: expected };
    }
    host.appendChild(rendered);
    if (hostConfigJson.actions && hostConfigJson.actions.allowButtonsToWrap) wrapButtons(rendered, hostConfigJson);

    for (const [element, type] of parsed) {
      const node = element.renderedElement;
      if (!node) {
        problems.push(`dropped while rendering: ${type} ${JSON.stringify(element.toJSON()).slice(0, 160)}`);
      } else if (!node.isConnected || node.getClientRects().length === 0) {
        problems.push(`not visible: ${type} ${JSON.stringify(element.toJSON()).slice(0, 160)}`);
      }
    }
    // Text that the card shows must be readable: not empty, not cut off with an ellipsis.
    for (const [element, type] of parsed) {
      const node = element.renderedElement;
      if (!node) continue;
      if (type === "TextBlock" && !node.innerText.trim()) {
        problems.push(`empty text: ${JSON.stringify(element.text).slice(0, 80)}`);
      }
      if (type.startsWith("Action.")) {
        const title = node.querySelector(".ac-pushButton > div, div") || node;
        if (node.scrollWidth > node.clientWidth + 1 || title.scrollWidth > title.clientWidth + 1) {
          problems.push(`button title cut off: ${JSON.stringify(element.title)}`);
        }
      }
    }
    const root = rendered;
    if (root.scrollWidth > root.clientWidth + 1) {
      problems.push(`content wider than the card: ${root.scrollWidth}px in ${root.clientWidth}px`);
    }
    const overflow = host.querySelectorAll("[aria-label='More options']");
    if (overflow.length) problems.push(`${overflow.length} overflow menu(s): actions hidden behind "..."`);
    return { problems, counts: expected };
  };
})();
