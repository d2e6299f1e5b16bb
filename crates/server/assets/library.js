// lector's library pages: registers the service worker that keeps the library's pages and
// narrations for reading and listening offline.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {});
}

// An article of the library: the reader's highlights marked in its text (CSS Custom Highlight
// API, so the page's markup is left alone), and the words the reader selects kept as a new
// highlight with the text around them, to be found again.
(function () {
  var section = document.querySelector(".highlights[data-highlights]");
  var article = document.querySelector("article[data-article]");
  if (!section || !article) return;
  var CONTEXT = 64;
  var parts = Array.prototype.slice.call(article.querySelectorAll("h1, .bullets, .byline, .body"));

  // The article's text with its spaces made one, and where each of its characters is.
  function flatten() {
    var flat = "", at = [], space = true;
    parts.forEach(function (part) {
      var walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        var text = node.nodeValue;
        for (var i = 0; i < text.length; i++) {
          var blank = /\s/.test(text[i]);
          if (blank && space) continue;
          flat += blank ? " " : text[i];
          at.push([node, i]);
          space = blank;
        }
      }
      if (!space) { flat += " "; at.push(null); space = true; }
    });
    return { text: flat, at: at };
  }
  function squeeze(text) { return text.replace(/\s+/g, " ").trim(); }

  var marks = [];
  try { marks = JSON.parse(section.getAttribute("data-highlights") || "[]"); } catch (e) { marks = []; }
  if (marks.length && window.CSS && CSS.highlights && window.Highlight) {
    var flat = flatten(), ranges = [];
    marks.forEach(function (mark) {
      var quote = squeeze(mark.quote), prefix = squeeze(mark.prefix), best = -1;
      for (var from = flat.text.indexOf(quote); from >= 0; from = flat.text.indexOf(quote, from + 1)) {
        if (best < 0) best = from;
        if (prefix && squeeze(flat.text.slice(0, from)).endsWith(prefix)) { best = from; break; }
      }
      var start = best >= 0 ? flat.at[best] : null, end = best >= 0 ? flat.at[best + quote.length - 1] : null;
      if (!start || !end) return; // not in this revision of the text: listed below all the same
      var range = document.createRange();
      range.setStart(start[0], start[1]);
      range.setEnd(end[0], end[1] + 1);
      ranges.push(range);
    });
    CSS.highlights.set("lector-highlight", new Highlight(...ranges));
  }

  // The reader's selection in the article, kept as it is made (a click elsewhere may clear it).
  var chosen = null;
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    var range = selection.getRangeAt(0);
    if (!parts.some(function (part) { return part.contains(range.commonAncestorContainer) || range.intersectsNode(part); })) return;
    var before = document.createRange(), after = document.createRange();
    before.setStart(parts[0], 0); before.setEnd(range.startContainer, range.startOffset);
    var last = parts[parts.length - 1];
    after.setStart(range.endContainer, range.endOffset); after.setEnd(last, last.childNodes.length);
    var quote = squeeze(selection.toString());
    if (!quote) return;
    chosen = { quote: quote, prefix: squeeze(before.toString()).slice(-CONTEXT), suffix: squeeze(after.toString()).slice(0, CONTEXT) };
  });
  var form = section.querySelector(".highlight-form"), button = section.querySelector(".highlight-selection");
  button.hidden = false;
  button.addEventListener("click", function () {
    if (!chosen) { form.querySelector("textarea[name=quote]").focus(); return; }
    form.querySelector("[name=quote]").value = chosen.quote;
    form.querySelector("[name=prefix]").value = chosen.prefix;
    form.querySelector("[name=suffix]").value = chosen.suffix;
    form.submit();
  });
})();

// The listen queue: its articles play one after another in the same page, without a page
// load; each one heard to the end leaves the queue and is marked read.
(function () {
  var player = document.querySelector(".queue-player[data-queue]");
  if (!player) return;
  var items = [];
  try { items = JSON.parse(player.getAttribute("data-queue") || "[]"); } catch (e) { items = []; }
  var audio = player.querySelector(".queue-audio"), now = player.querySelector(".queue-now");
  var status = player.querySelector(".queue-status"), at = 0;
  function json(method, path, body) {
    return fetch(path, { method: method, credentials: "same-origin", keepalive: true,
      headers: { "Content-Type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
  }
  function show(index, play) {
    at = index;
    var item = items[index];
    if (!item) { status.textContent = "The queue is over."; now.textContent = "nothing"; now.removeAttribute("href"); return; }
    now.textContent = item.headline; now.href = item.url;
    audio.src = item.audio_url;
    status.textContent = (index + 1) + " of " + items.length;
    if ("mediaSession" in navigator && window.MediaMetadata) {
      navigator.mediaSession.metadata = new window.MediaMetadata({ title: item.headline, album: document.title });
      navigator.mediaSession.setActionHandler("nexttrack", function () { show(at + 1, true); });
    }
    if (play) { var playing = audio.play(); if (playing && playing.catch) playing.catch(function () { status.textContent = "Press play to listen."; }); }
  }
  audio.addEventListener("ended", function () {
    var done = items[at];
    if (done) {
      json("DELETE", "/api/library/queue/" + done.id).catch(function () {});
      json("PATCH", "/api/library/" + done.id, { read: true, archived: true }).catch(function () {});
      var row = document.querySelector('.queue-list li[data-article="' + done.id + '"]');
      if (row) row.classList.add("played");
    }
    show(at + 1, true);
  });
  player.querySelector(".queue-play").addEventListener("click", function () { show(at, true); });
  // Kept for listening offline: the queue's pages, narrations and timings.
  if ("serviceWorker" in navigator) {
    var urls = [];
    items.forEach(function (item) { urls.push(item.url, item.audio_url, item.timings_url); });
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: "keep", urls: urls });
    });
  }
  player.querySelector(".queue-next").addEventListener("click", function () { show(at + 1, !audio.paused); });
})();
