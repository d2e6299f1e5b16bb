// lector's library pages: registers the service worker that keeps the library's pages and
// narrations for reading and listening offline.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {});
}

// An article of the library: the reader's highlights marked in its text (CSS Custom Highlight
// API, so the page's markup is left alone), and the words the reader selects kept as a new
// highlight with the text around them, to be found again. Set up again for each page brought
// in while the queue plays (below).
(function () {
  function setUp() {
    var section = document.querySelector(".highlights[data-highlights]");
    var article = document.querySelector("article[data-article]");
    if (!section || !article || section.hasAttribute("data-ready")) return;
    section.setAttribute("data-ready", "");
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
      if (!section.isConnected) return;
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
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
  }
  setUp();
  document.addEventListener("lector:page", setUp);
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
    claimMediaSession();
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

  // The system's media controls (lock screen, keyboard keys) act on the queue.
  function claimMediaSession() {
    var item = items[at];
    if (!item || !("mediaSession" in navigator) || !window.MediaMetadata) return;
    navigator.mediaSession.metadata = new window.MediaMetadata({ title: item.headline, album: "Your queue" });
    var actions = {
      play: function () { audio.play(); }, pause: function () { audio.pause(); },
      nexttrack: function () { show(at + 1, true); }
    };
    Object.keys(actions).forEach(function (action) {
      try { navigator.mediaSession.setActionHandler(action, actions[action]); } catch (e) { /* unsupported */ }
    });
  }

  // One narration at a time: the queue pauses for an article's own player, and the other way.
  var started = false;
  document.addEventListener("play", function (event) {
    if (event.target === audio) {
      started = true;
      document.querySelectorAll("audio").forEach(function (other) { if (other !== audio) other.pause(); });
    } else if (event.target.tagName === "AUDIO") {
      audio.pause();
    }
  }, true);

  // Browsing while the queue plays: once it has started, the library's links and forms are
  // followed within this page (the new page's content swapped in, its address in the history),
  // and the queue's player, docked at the foot of the window, keeps playing.
  var main = document.querySelector("main#content"), shown = here();
  function here() { return window.location.pathname + window.location.search; }
  function inLibrary(url) {
    return url.origin === window.location.origin && /^\/(library|articles\/)/.test(url.pathname);
  }
  function dock() {
    if (player.classList.contains("docked")) return;
    player.classList.add("docked");
    document.body.classList.add("queue-docked");
    document.body.appendChild(player);
    if (!history.state) history.replaceState({ lector: "page" }, "", window.location.href);
  }
  // `otherwise` runs when the answer is no page (a network failure, a download): the link or
  // form is then followed as the browser would.
  function follow(url, request, push, otherwise) {
    dock();
    main.setAttribute("aria-busy", "true");
    return fetch(url, request || { credentials: "same-origin" }).then(function (response) {
      var type = response.headers.get("content-type") || "";
      if (!type.startsWith("text/html")) throw new Error("not a page");
      return response.text().then(function (html) { bringIn(html, response.url, push); });
    }).catch(otherwise || function () { window.location.href = url; });
  }
  function bringIn(html, address, push) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var next = page.querySelector("main#content");
    if (!next) { window.location.href = address; return; }
    // The page's own copy of the queue's player: the docked one plays on.
    var copy = next.querySelector(".queue-player");
    if (copy) copy.remove();
    main.querySelectorAll("audio").forEach(function (other) { other.pause(); });
    next = document.adoptNode(next);
    main.replaceWith(next);
    main = next;
    document.title = page.title;
    if (push) history.pushState({ lector: "page" }, "", address);
    shown = here();
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target) target.scrollIntoView(); else window.scrollTo(0, 0);
    var heading = main.querySelector("h1");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
    // Scripts the new page needs that this one has not loaded yet; those it has set up again.
    page.querySelectorAll("body script[src]").forEach(function (script) {
      var src = script.getAttribute("src");
      if (document.querySelector('script[src="' + src + '"]')) return;
      var added = document.createElement("script");
      added.src = src;
      document.body.appendChild(added);
    });
    document.dispatchEvent(new CustomEvent("lector:page"));
    claimMediaSession();
    refresh();
    // A page that looks again by itself (the library while saves are read) does so here too.
    clearTimeout(again);
    var refreshing = page.querySelector('meta[http-equiv="refresh" i]');
    var seconds = refreshing && parseInt(refreshing.getAttribute("content"), 10);
    if (seconds > 0) {
      var address = here();
      again = setTimeout(function () { if (here() === address) follow(window.location.href, null, false); }, seconds * 1000);
    }
  }
  var again = null;
  // The queue as it is now: the page just followed may have added to it, or taken from it.
  function refresh() {
    fetch("/api/library/queue", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (list) {
        if (!Array.isArray(list)) return;
        var playing = items[at], place = -1;
        list.forEach(function (item, index) { if (playing && item.id === playing.id) place = index; });
        if (playing && place < 0) { list.unshift(playing); place = 0; }
        items = list;
        at = Math.max(place, 0);
        if (items.length) status.textContent = (at + 1) + " of " + items.length;
      })
      .catch(function () { /* the queue as it was */ });
  }
  document.addEventListener("click", function (event) {
    if (!started || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.hasAttribute("download") || (link.target && link.target !== "_self")) return;
    var url = new URL(link.href, window.location.href);
    if (!inLibrary(url)) return;
    if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) return;
    event.preventDefault();
    follow(url.href, null, true);
  });
  document.addEventListener("submit", function (event) {
    var form = event.target, by = event.submitter;
    if (!started || event.defaultPrevented || !main.contains(form)) return;
    // Attributes, not properties: a control named "action" or "method" hides the form's own.
    var attribute = function (name) { return (by && by.getAttribute("form" + name)) || form.getAttribute(name) || ""; };
    var url = new URL(attribute("action") || window.location.href, window.location.href);
    var method = (attribute("method") || "get").toLowerCase();
    if (!inLibrary(url) || form.getAttribute("target")) return;
    var data;
    try { data = new FormData(form, by); } catch (e) { data = new FormData(form); }
    event.preventDefault();
    if (method === "get") {
      url.search = new URLSearchParams(data).toString();
      follow(url.href, null, true);
    } else {
      var body = attribute("enctype") === "multipart/form-data" ? data : new URLSearchParams(data);
      follow(url.href, { method: "POST", body: body, credentials: "same-origin" }, true, function () { form.submit(); });
    }
  });
  // Back and forward: the page of that address (not for a move within the page shown).
  window.addEventListener("popstate", function () {
    if (player.classList.contains("docked") && here() !== shown) follow(window.location.href, null, false);
  });
})();
