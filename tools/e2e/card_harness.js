// Renders Adaptive Cards with Microsoft's renderer (npm adaptivecards) and reports every problem.
// Loaded after adaptivecards.min.js by tools/e2e/card_page.py; used by tests/test_card_render.py.
//
// window.renderCard(card, hostConfig, options) draws the card into #host and returns
//   {problems: [...], counts: {...}, height}
// where problems lists parse warnings, validation failures, elements that were dropped while parsing
// or rendering, text or button titles cut off (strictly: not one pixel), content wider than the card or
// clipped inside it, and what makes a card hard to read on a phone or with a screen reader:
//   options.minFactValue  a FactSet value column narrower than this many px
//   options.requireHeading no TextBlock with style "heading" (role=heading): nothing to jump to
//   options.firstScreen   the card's first button further down than this many px
//   options.contrast      text under WCAG's 4.5:1 (3:1 large) against what is behind it, emoji under 3:1
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

  // --- reading checks: contrast, clipping, narrow columns ------------------------------------

  function rgba(css) {
    const m = /rgba?\(([^)]+)\)/.exec(css || "");
    if (!m) return null;
    const v = m[1].split(",").map((x) => parseFloat(x));
    return { r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1 };
  }

  function luminance(c) {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }

  function ratio(a, b) {
    const [x, y] = [luminance(a), luminance(b)];
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }

  function background(node) {
    // the first opaque background colour at or above node (the page's own when none is set)
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return rgba(getComputedStyle(document.body).backgroundColor) || { r: 255, g: 255, b: 255, a: 1 };
  }

  const EMOJI = /\p{Extended_Pictographic}/gu;
  const emojiCanvas = document.createElement("canvas");

  function emojiContrast(ch, fontFamily, fg, bg) {
    // The strongest contrast any pixel of the emoji, drawn as the card draws it, has against the
    // background: an emoji whose every pixel is close to the background cannot be told apart.
    const size = 28;
    emojiCanvas.width = emojiCanvas.height = size + 8;
    const g = emojiCanvas.getContext("2d", { willReadFrequently: true });
    g.fillStyle = `rgb(${bg.r},${bg.g},${bg.b})`;
    g.fillRect(0, 0, size + 8, size + 8);
    g.font = `${size}px ${fontFamily}`;
    g.textBaseline = "top";
    g.fillStyle = `rgb(${fg.r},${fg.g},${fg.b})`; // a colour emoji ignores it; a plain glyph is text
    g.fillText(ch, 2, 2);
    const data = g.getImageData(0, 0, size + 8, size + 8).data;
    let best = 1;
    for (let i = 0; i < data.length; i += 4) {
      best = Math.max(best, ratio({ r: data[i], g: data[i + 1], b: data[i + 2] }, bg));
    }
    return best;
  }

  function textNodes(root) {
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.nodeValue.trim()) out.push(n);
    return out;
  }

  function contrastProblems(root) {
    const problems = [];
    const seen = new Set();
    for (const text of textNodes(root)) {
      const el = text.parentElement;
      const style = getComputedStyle(el);
      const fg = rgba(style.color);
      const bg = background(el);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight, 10) >= 600);
      const needed = large ? 3 : 4.5;
      const words = text.nodeValue.replace(EMOJI, "").trim();
      if (words && fg) {
        const r = ratio(fg, bg);
        const key = `${style.color}|${words.slice(0, 30)}`;
        if (r < needed && !seen.has(key)) {
          seen.add(key);
          problems.push(`contrast ${r.toFixed(2)}:1 (needs ${needed}:1): ${JSON.stringify(words.slice(0, 60))}`);
        }
      }
      for (const ch of new Set(text.nodeValue.match(EMOJI) || [])) {
        const r = emojiContrast(ch, style.fontFamily, fg || { r: 0, g: 0, b: 0 }, bg);
        if (r < 3 && !seen.has(ch)) {
          seen.add(ch);
          problems.push(`contrast ${r.toFixed(2)}:1 (needs 3:1): emoji ${JSON.stringify(ch)}`);
        }
      }
    }
    return problems;
  }

  function titleCut(node) {
    // Strict: the title's text is wider than the space it has, by any amount (sub-pixel included).
    const title = node.querySelector(".ac-pushButton > div, div") || node;
    if (node.scrollWidth > node.clientWidth || title.scrollWidth > title.clientWidth) return true;
    const range = document.createRange();
    range.selectNodeContents(title);
    const textWidth = range.getBoundingClientRect().width;
    const style = getComputedStyle(title);
    const room = title.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return textWidth > room + 0.01;
  }

  function factColumns(element) {
    // the narrowest value column of a rendered FactSet (<table>: title, gap, value)
    let narrowest = Infinity;
    for (const row of element.querySelectorAll("tr")) {
      const cells = row.querySelectorAll("td");
      if (cells.length) narrowest = Math.min(narrowest, cells[cells.length - 1].getBoundingClientRect().width);
    }
    return narrowest;
  }

  window.titleCut = titleCut; // for tests/test_card_render.py's check of the check

  window.renderCard = function (cardJson, hostConfigJson, options) {
    options = options || {};
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
      if (type.startsWith("Action.") && titleCut(node)) {
        problems.push(`button title cut off: ${JSON.stringify(element.title)}`);
      }
      if (type === "TextBlock" && node.scrollWidth > node.clientWidth) {
        // TextBlocks hide their overflow: a list wider than its block is cut off, not scrolled
        problems.push(`text clipped by ${node.scrollWidth - node.clientWidth}px: ${JSON.stringify(node.innerText.slice(0, 60))}`);
      }
      if (type === "FactSet" && options.minFactValue) {
        const narrowest = factColumns(node);
        if (narrowest < options.minFactValue) {
          problems.push(`fact value column ${Math.round(narrowest)}px (under ${options.minFactValue}px): ${JSON.stringify(node.innerText.slice(0, 60))}`);
        }
      }
    }
    const root = rendered;
    const box = root.getBoundingClientRect();
    if (root.scrollWidth > root.clientWidth) {
      problems.push(`content wider than the card: ${root.scrollWidth}px in ${root.clientWidth}px`);
    }
    for (const node of root.querySelectorAll("*")) {
      const r = node.getBoundingClientRect();
      if (r.width && r.right > box.right + 0.5) {
        problems.push(`wider than the card by ${Math.round(r.right - box.right)}px: <${node.tagName.toLowerCase()}> ${JSON.stringify((node.innerText || "").slice(0, 40))}`);
        break;
      }
    }
    const overflow = host.querySelectorAll("[aria-label='More options']");
    if (overflow.length) problems.push(`${overflow.length} overflow menu(s): actions hidden behind "..."`);
    if (options.requireHeading && !root.querySelector("[role='heading']")) {
      problems.push('no heading: no TextBlock has style "heading"');
    }
    if (options.firstScreen) {
      const first = root.querySelector(".ac-pushButton");
      if (first && first.getBoundingClientRect().bottom - box.top > options.firstScreen) {
        const at = Math.round(first.getBoundingClientRect().bottom - box.top);
        problems.push(`first button ends ${at}px down the card, below the first screen (${options.firstScreen}px)`);
      }
    }
    if (options.contrast) problems.push(...contrastProblems(root));
    return { problems, counts: expected, height: box.height };
  };
})();
