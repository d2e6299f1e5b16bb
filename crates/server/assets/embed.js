// lector's embed loader for publishers' pages: where this script tag stands, the listen player
// appears, in a frame. Usage:
//   <script src="https://LECTOR/embed.js" data-article="ID, EXTERNAL-ID OR URL" async></script>
// Without data-article, the page's canonical address (or its own) names the article. With
// data-highlight, the sentence being read is marked in the page's own text when it is found
// there (best effort: the CSS Custom Highlight API, so the page's markup is never changed;
// data-highlight-root names the element holding the story, else <article>, <main> or the body).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.parentNode) return;
  var canonical = document.querySelector("link[rel='canonical']");
  var key = script.getAttribute("data-article") || (canonical && canonical.href) || window.location.href;
  var frame = document.createElement("iframe");
  frame.src = new URL("/embed?article=" + encodeURIComponent(key), script.src).href;
  frame.title = script.getAttribute("data-title") || "Listen to this article";
  frame.loading = "lazy";
  frame.allow = "autoplay";
  frame.style.border = "0";
  frame.style.width = "100%";
  frame.height = script.getAttribute("data-height") || "220";
  frame.className = "lector-player";
  script.parentNode.insertBefore(frame, script.nextSibling);
  if (script.hasAttribute("data-highlight") && script.getAttribute("data-highlight") !== "false") follow(script, frame);

  // Folds what typography changes between the story and its narration: case, spaces, quotes
  // and dashes. One character in, one out (spaces collapse), with where each came from.
  function fold(c) {
    if (/\s/.test(c)) return " ";
    if ("\u2018\u2019\u201a\u2032".indexOf(c) >= 0) return "'";
    if ("\u201c\u201d\u201e\u2033".indexOf(c) >= 0) return "\"";
    if ("\u2010\u2011\u2012\u2013\u2014\u2212".indexOf(c) >= 0) return "-";
    var lower = c.toLowerCase();
    return lower.length === 1 ? lower : c;
  }
  function folded(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) { var c = fold(text[i]); if (!(c === " " && (out === "" || out[out.length - 1] === " "))) out += c; }
    return out.trim();
  }

  function follow(script, frame) {
    if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") return;
    var origin = new URL(script.src).origin;
    var style = document.createElement("style");
    style.textContent = "::highlight(lector-now) { background-color: #fde68a; color: inherit; }";
    document.head.appendChild(style);
    var after = 0;
    window.addEventListener("message", function (event) {
      if (event.origin !== origin || event.source !== frame.contentWindow) return;
      var data = event.data || {};
      if (data.lector !== "sentence") return;
      CSS.highlights.delete("lector-now");
      var wanted = folded(String(data.text || ""));
      if (!wanted) return;
      var root = document.querySelector(script.getAttribute("data-highlight-root") || "article") || document.querySelector("main") || document.body;
      // The page's text, folded, with each folded character's node and offset.
      var text = "", at = [], walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) { return node.parentNode.closest("script, style, iframe, noscript") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }
      });
      var blocks = "p, li, h1, h2, h3, h4, h5, h6, blockquote, figcaption, td, th, dd, dt, pre, div, section, article, header, footer";
      var block = null, last = null;
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        // Text in another block (a new paragraph) is apart from the last; text in the same one
        // (across <em>, <a>…) runs on.
        var here = node.parentNode.closest(blocks);
        if (last && here !== block && text !== "" && text[text.length - 1] !== " ") { text += " "; at.push([last, last.data.length]); }
        block = here; last = node;
        for (var i = 0; i < node.data.length; i++) {
          var c = fold(node.data[i]);
          if (c === " " && (text === "" || text[text.length - 1] === " ")) continue;
          text += c; at.push([node, i]);
        }
      }
      // Sentences come in order: look after the last one first, then anywhere.
      var start = text.indexOf(wanted, after);
      if (start < 0) start = text.indexOf(wanted);
      if (start < 0) return;
      after = start + wanted.length;
      var range = document.createRange(), end = at[start + wanted.length - 1];
      range.setStart(at[start][0], at[start][1]);
      range.setEnd(end[0], end[1] + 1);
      CSS.highlights.set("lector-now", new Highlight(range));
    });
  }
})();
