// lector's listen player: plays the narration, follows along sentence by sentence (and word by
// word where the voice times words), and
// remembers the listener's choices. No framework; the page works without it (plain audio).
// A library follows its links within the page while its queue plays (library.js): the player
// of each page it brings in is set up on the `lector:page` event, and a player whose page was
// replaced answers nothing more.
(function () {
  "use strict";
  function setUp() {
    var root = document.querySelector(".player[data-player]");
    if (!root || root.hasAttribute("data-ready")) return;
    root.setAttribute("data-ready", "");
    var config;
    try { config = JSON.parse(root.getAttribute("data-player")); } catch (e) { return; }

    var audio = root.querySelector("audio");
    var $ = function (selector) { return root.querySelector(selector); };
    var playButton = $(".play"), back = $(".back"), forward = $(".forward");
    var scrubber = $(".scrubber"), elapsed = $(".elapsed"), remaining = $(".remaining");
    var rateLabel = $(".rate"), status = $(".status"), live = $(".live");
    var voiceSelect = $(".voice"), speedSelect = $(".speed");
    var follow = $(".follow"), wordsBox = $(".words"), autoscroll = $(".autoscroll"), announce = $(".announce"), upnext = $(".upnext");
    var storage = (function () { try { return window.localStorage; } catch (e) { return null; } })();

    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var defaults = { rate: 1, voices: {}, follow: config.follow, words: config.follow && !still, autoscroll: config.follow, announce: false, upnext: config.up_next };
    var prefs = load("lector.prefs", defaults);
    // The listener's voice is remembered per language: a French story is never read in the
    // English voice chosen on an English one.
    delete prefs.voice;
    if (!prefs.voices || typeof prefs.voices !== "object") prefs.voices = {};
    function chosenVoice() { return prefs.voices[config.language] || config.voice; }
    var voice = chosenVoice();
    var timings = [], current = -1, wpm = {}, pendingSeek = null, started = false;
    wpm[config.voice] = config.wpm;
    var spans = {};
    document.querySelectorAll(".s[data-u]").forEach(function (span) {
      var index = Number(span.getAttribute("data-u"));
      (spans[index] = spans[index] || []).push(span);
    });

    function load(key, fallback) {
      try { var value = JSON.parse(storage.getItem(key)); return value && typeof value === "object" ? Object.assign({}, fallback, value) : fallback; }
      catch (e) { return fallback; }
    }
    function save() { try { storage.setItem("lector.prefs", JSON.stringify(prefs)); } catch (e) { /* private mode */ } }
    function clock(seconds) {
      if (!isFinite(seconds) || seconds < 0) seconds = 0;
      var s = Math.floor(seconds % 60), m = Math.floor(seconds / 60) % 60, h = Math.floor(seconds / 3600);
      return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (s < 10 ? "0" : "") + s;
    }
    function url(base, params) {
      var query = Object.keys(params).filter(function (k) { return params[k]; })
        .map(function (k) { return k + "=" + encodeURIComponent(params[k]); }).join("&");
      return base + (query ? (base.indexOf("?") < 0 ? "?" : "&") + query : "");
    }
    function duration() {
      if (isFinite(audio.duration) && audio.duration > 0) return audio.duration;
      return timings.length ? timings[timings.length - 1].end_ms / 1000 : 0;
    }

    // Progressive enhancement: our controls replace the browser's.
    audio.removeAttribute("controls");
    root.querySelectorAll("[hidden]").forEach(function (el) { el.hidden = false; });
    follow.checked = !!prefs.follow; wordsBox.checked = !!prefs.words; autoscroll.checked = !!prefs.autoscroll;
    announce.checked = !!prefs.announce; upnext.checked = !!prefs.upnext;
    if (!config.next) upnext.closest("label").hidden = true;

    function setSource(keepTime) {
      var time = keepTime ? audio.currentTime : 0;
      audio.src = url(config.audio_url, { voice: voice === config.voice ? "" : voice });
      var download = root.querySelector("a[download]");
      if (download) download.href = audio.src;
      var track = audio.querySelector("track");
      if (track) track.src = url(config.transcript_url, { voice: voice === config.voice ? "" : voice });
      if (keepTime && time) pendingSeek = time;
    }

    function fetchTimings(forVoice) {
      return fetch(url(config.timings_url, { voice: forVoice === config.voice ? "" : forVoice }))
        .then(function (response) {
          if (response.ok) return response.json().then(function (body) { return body.utterances || []; });
          if (response.status === 404 || response.status === 503) return null;
          throw new Error("timings: " + response.status);
        });
    }

    function whenTimings(forVoice, then) {
      fetchTimings(forVoice).then(function (list) {
        if (list) { then(list); return; }
        status.textContent = "Preparing this voice…";
        setTimeout(function () { whenTimings(forVoice, then); }, 2000);
      }).catch(function () { status.textContent = "The narration's timings are not available."; });
    }

    function index(timeMs) {
      var low = 0, high = timings.length - 1, found = -1;
      while (low <= high) {
        var mid = (low + high) >> 1;
        if (timings[mid].start_ms <= timeMs) { found = mid; low = mid + 1; } else { high = mid - 1; }
      }
      return found;
    }

    // Words, for voices that time them: each written word of a sentence gets a span with its
    // start, when the sentence's text on the page is the text that was narrated.
    var words = {}, said = null;
    function byteToIndex(text) {
      // UTF-8 byte offsets (the API's) to string indices (the DOM's).
      var map = {}, bytes = 0;
      for (var i = 0; i < text.length;) {
        map[bytes] = i;
        var code = text.codePointAt(i);
        bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
        i += code >= 0x10000 ? 2 : 1;
      }
      map[bytes] = text.length;
      return map;
    }
    function markWords(list) {
      document.querySelectorAll(".w[data-ms]").forEach(function (el) {
        var parent = el.parentNode;
        while (el.firstChild) parent.insertBefore(el.firstChild, el);
        parent.removeChild(el); parent.normalize();
      });
      words = {}; said = null;
      list.forEach(function (t, u) {
        if (!t.words || !t.words.length || !spans[u]) return;
        var nodes = [];
        spans[u].forEach(function (span) {
          var walker = document.createTreeWalker(span, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) nodes.push(walker.currentNode);
        });
        if (nodes.map(function (n) { return n.data; }).join("") !== t.text) return;
        var index = byteToIndex(t.text), starts = [], at = 0;
        nodes.forEach(function (n) { starts.push(at); at += n.data.length; });
        var marked = [];
        for (var w = t.words.length - 1; w >= 0; w--) {
          var from = index[t.words[w].range[0] - t.range[0]], to = index[t.words[w].range[1] - t.range[0]];
          if (from === undefined || to === undefined || to <= from) continue;
          for (var k = nodes.length - 1; k >= 0 && starts[k] > from; k--);
          if (k < 0 || to > starts[k] + nodes[k].data.length) continue; // across markup: left as it is
          var word = nodes[k].splitText(from - starts[k]);
          word.splitText(to - from);
          var el = document.createElement("span");
          el.className = "w"; el.setAttribute("data-ms", String(t.words[w].start_ms));
          word.parentNode.insertBefore(el, word); el.appendChild(word);
          marked.unshift({ el: el, start: t.words[w].start_ms });
        }
        words[u] = marked;
      });
    }
    function highlightWord(timeMs) {
      var list = prefs.follow && prefs.words ? words[current] : null, next = null;
      if (list) for (var i = 0; i < list.length && list[i].start <= timeMs; i++) next = list[i].el;
      if (next === said) return;
      if (said) said.classList.remove("said");
      said = next;
      if (said) said.classList.add("said");
    }

    // In a publisher's page (the embed, framed), the sentence being read goes to the page around
    // it, which may mark it in its own copy of the text (embed.js, data-highlight); the embed
    // shows it on its own line too.
    var framed = document.body.classList.contains("embed") && window.parent !== window;
    var ownLine = document.querySelector(".embed-line");
    function tellPage(next) {
      var text = next >= 0 && timings[next] ? timings[next].text : "";
      if (ownLine) ownLine.textContent = text;
      if (framed) window.parent.postMessage({ lector: "sentence", article: config.id, index: next, text: text }, "*");
    }

    function highlight(next) {
      if (next === current) return;
      (spans[current] || []).forEach(function (span) { span.classList.remove("now"); });
      current = next;
      tellPage(next);
      if (!prefs.follow || next < 0) return;
      var list = spans[next] || [];
      list.forEach(function (span) { span.classList.add("now"); });
      if (list.length && prefs.autoscroll && !audio.paused) {
        var box = list[0].getBoundingClientRect();
        if (box.top < root.offsetHeight + 8 || box.bottom > window.innerHeight - 8) {
          var smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
          list[0].scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
        }
      }
      if (prefs.announce && timings[next]) live.textContent = timings[next].text;
    }

    function seekTo(utterance, play) {
      if (!timings[utterance]) return;
      started = true;
      audio.currentTime = timings[utterance].start_ms / 1000 + 0.01;
      highlight(utterance);
      if (play) start();
    }

    function start() {
      var playing = audio.play();
      if (playing && playing.catch) playing.catch(function () { status.textContent = "Press play to listen."; });
    }

    function showRate() {
      var rate = prefs.rate, base = wpm[voice];
      rateLabel.textContent = rate + "x" + (base ? " · " + Math.round(base * rate) + " WPM" : "");
      audio.playbackRate = rate;
      if ("preservesPitch" in audio) audio.preservesPitch = true;
      root.querySelectorAll("[data-rate]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(Number(button.getAttribute("data-rate")) === rate));
      });
      speedSelect.value = String(rate);
    }

    function setRate(rate) {
      rate = Math.min(3, Math.max(0.5, Math.round(rate * 100) / 100));
      prefs.rate = rate; save(); showRate();
    }

    function update() {
      var total = duration(), now = audio.currentTime;
      scrubber.max = String(total || 0);
      scrubber.value = String(now);
      elapsed.textContent = clock(now);
      remaining.textContent = "-" + clock(total - now);
      // The follow-along starts with the listening, not with the page.
      if (started || now > 0) { highlight(index(now * 1000)); highlightWord(now * 1000); }
    }

    function remember() {
      try { storage.setItem("lector.position." + config.id, JSON.stringify({ voice: voice, time: audio.currentTime })); } catch (e) { /* ignore */ }
    }

    // Wiring.
    playButton.addEventListener("click", function () { if (audio.paused) start(); else audio.pause(); });
    back.addEventListener("click", function () { seekTo(Math.max(0, current - (audio.currentTime * 1000 - (timings[current] || {}).start_ms > 1500 ? 0 : 1)), !audio.paused); });
    forward.addEventListener("click", function () { seekTo(Math.min(timings.length - 1, current + 1), !audio.paused); });
    scrubber.addEventListener("input", function () { audio.currentTime = Number(scrubber.value); update(); });
    // Listening analytics: anonymous beacons (a play, each quarter reached, and on leaving the
    // time listened and the last sentence heard); nothing identifies the listener, and nothing
    // is sent when the browser asks not to be counted (Do Not Track, Global Privacy Control).
    var counted = !(navigator.doNotTrack === "1" || window.doNotTrack === "1" || navigator.globalPrivacyControl === true);
    var tally = null;
    function beacon(body) {
      if (!counted) return;
      body.article = tally.article;
      var blob = new Blob([JSON.stringify(body)], { type: "application/json" });
      try { if (navigator.sendBeacon && navigator.sendBeacon("/api/listens", blob)) return; } catch (e) { /* fall back */ }
      fetch("/api/listens", { method: "POST", body: blob, keepalive: true, headers: { "Content-Type": "application/json" } }).catch(function () {});
    }
    function listened() { if (tally && tally.since !== null) { tally.ms += performance.now() - tally.since; tally.since = null; } }
    function leave() {
      listened();
      if (!tally || !tally.played || tally.left) return;
      tally.left = true;
      beacon({ type: "leave", listened_ms: Math.round(tally.ms), sentence: current >= 0 ? current : null });
    }
    audio.addEventListener("play", function () {
      if (!tally || tally.article !== config.id || tally.left) tally = { article: config.id, played: false, reached: {}, ms: 0, since: null, left: false };
      if (!tally.played) { tally.played = true; beacon({ type: "play", voice: voice, speed: audio.playbackRate }); }
      tally.since = performance.now();
    });
    audio.addEventListener("pause", listened);
    audio.addEventListener("timeupdate", function () {
      var whole = duration();
      if (!tally || tally.left || !whole) return;
      [25, 50, 75, 100].forEach(function (percent) {
        if (!tally.reached[percent] && audio.currentTime >= whole * percent / 100 - (percent === 100 ? 0.5 : 0)) {
          tally.reached[percent] = true;
          beacon({ type: "reach", percent: percent });
        }
      });
    });
    audio.addEventListener("ended", function () {
      if (tally && !tally.left && !tally.reached[100]) { tally.reached[100] = true; beacon({ type: "reach", percent: 100 }); }
      leave();
    });
    window.addEventListener("pagehide", function () { if (root.isConnected) leave(); });
    audio.addEventListener("play", function () { started = true; playButton.setAttribute("aria-label", "Pause"); root.classList.add("playing"); status.textContent = ""; });
    audio.addEventListener("pause", function () { playButton.setAttribute("aria-label", "Play"); root.classList.remove("playing"); remember(); });
    audio.addEventListener("timeupdate", update);
    audio.addEventListener("loadedmetadata", function () {
      showRate();
      if (pendingSeek !== null) { audio.currentTime = pendingSeek; pendingSeek = null; }
      update();
    });
    audio.addEventListener("ended", function () {
      try { storage.removeItem("lector.position." + config.id); } catch (e) { /* ignore */ }
      if (sleepAtEnd) { sleepAtEnd = false; sleepSelect.value = ""; status.textContent = "Paused by the sleep timer"; return; }
      if (!prefs.upnext || !config.next) return;
      // Article pages refuse to be framed: in the embed, the next narration plays here.
      if (document.body.classList.contains("embed") && config.next_embed) playNextHere();
      else window.location.href = config.next + "#listen";
    });

    // Reads the next article's player from its embed page and plays it in this one, keeping
    // the listener's voice, speed and choices.
    function playNextHere() {
      status.textContent = "Loading the next narration…";
      fetch(config.next_embed).then(function (response) {
        if (!response.ok) throw new Error("next: " + response.status);
        return response.text();
      }).then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var player = page.querySelector(".player[data-player]");
        var next = JSON.parse(player.getAttribute("data-player"));
        var title = page.querySelector(".embed-title a"), here = document.querySelector(".embed-title a");
        if (title && here) { here.textContent = title.textContent; here.href = title.getAttribute("href"); }
        document.title = page.title;
        config = next;
        if (config.wpm) wpm[config.voice] = config.wpm;
        voice = chosenVoice();
        timings = []; current = -1; started = true;
        upnext.closest("label").hidden = !config.next;
        describe();
        setSource(false); showRate(); start();
        whenTimings(voice, function (list) { timings = list; status.textContent = ""; markWords(list); update(); });
      }).catch(function () { status.textContent = "The next narration could not be loaded."; });
    }
    var remembering = setInterval(function () {
      if (!root.isConnected) { clearInterval(remembering); return; }
      if (!audio.paused) remember();
    }, 5000);

    root.querySelectorAll("[data-rate]").forEach(function (button) {
      button.addEventListener("click", function () { setRate(Number(button.getAttribute("data-rate"))); });
    });
    speedSelect.addEventListener("change", function () { setRate(Number(speedSelect.value)); });
    [["follow", follow], ["words", wordsBox], ["autoscroll", autoscroll], ["announce", announce], ["upnext", upnext]].forEach(function (pair) {
      pair[1].addEventListener("change", function () {
        prefs[pair[0]] = pair[1].checked; save();
        highlightWord(audio.currentTime * 1000);
        if (pair[0] === "follow") { var keep = current; current = -1; highlight(prefs.follow ? keep : -1); if (!prefs.follow) (spans[keep] || []).forEach(function (s) { s.classList.remove("now"); }); }
      });
    });

    // Changing voice keeps the listener at the same sentence.
    voiceSelect.addEventListener("change", function () {
      var keep = Math.max(current, 0), wasPlaying = !audio.paused, chosen = voiceSelect.value;
      audio.pause();
      whenTimings(chosen, function (list) {
        voice = chosen; prefs.voices[config.language] = chosen; save();
        timings = list; status.textContent = ""; markWords(list);
        setSource(false);
        pendingSeek = timings[keep] ? timings[keep].start_ms / 1000 + 0.01 : 0;
        audio.load();
        current = -1;
        showRate();
        if (wasPlaying) start();
      });
    });

    // Click a sentence, or a paragraph, to play from there.
    document.querySelector("article") && document.querySelector("article").addEventListener("click", function (event) {
      if (event.target.closest("a, button, input, select, .player")) return;
      var word = prefs.words && event.target.closest(".w[data-ms]");
      if (word) {
        started = true;
        audio.currentTime = Number(word.getAttribute("data-ms")) / 1000 + 0.01;
        highlight(index(audio.currentTime * 1000)); highlightWord(audio.currentTime * 1000);
        start();
        return;
      }
      var span = event.target.closest(".s[data-u]");
      if (!span) { var block = event.target.closest("p, li, h2, h3, h4, blockquote, h1"); span = block && block.querySelector(".s[data-u]"); }
      if (span) seekTo(Number(span.getAttribute("data-u")), true);
    });

    // Skips of 15 seconds either way, and a sleep timer: after some minutes, or at the end of
    // this article (the next one then does not start), the narration pauses.
    var SKIP = 15;
    function skip(seconds) {
      var total = duration();
      audio.currentTime = Math.min(Math.max(0, audio.currentTime + seconds), total || audio.currentTime + seconds);
      started = true;
      update();
    }
    root.querySelector(".skip-back").addEventListener("click", function () { skip(-SKIP); });
    root.querySelector(".skip-forward").addEventListener("click", function () { skip(SKIP); });
    var sleepSelect = root.querySelector(".sleep"), sleepAt = null, sleepAtEnd = false;
    function showSleep() {
      if (sleepAtEnd) status.textContent = "Sleeps at the end of this article";
      else if (sleepAt) status.textContent = "Sleeps in " + Math.max(1, Math.ceil((sleepAt - Date.now()) / 60000)) + " min";
    }
    sleepSelect.addEventListener("change", function () {
      var value = sleepSelect.value;
      sleepAtEnd = value === "end";
      sleepAt = value && !sleepAtEnd ? Date.now() + Number(value) * 60000 : null;
      if (!value) status.textContent = "";
      showSleep();
    });
    audio.addEventListener("timeupdate", function () {
      if (sleepAt && Date.now() >= sleepAt) {
        sleepAt = null; sleepSelect.value = ""; audio.pause(); status.textContent = "Paused by the sleep timer";
      } else if (sleepAt) showSleep();
    });

    document.addEventListener("keydown", function (event) {
      if (!root.isConnected || event.ctrlKey || event.metaKey || event.altKey) return;
      var typing = event.target.closest && event.target.closest("input, select, textarea, [contenteditable]");
      if (typing) return;
      var key = event.key;
      if (key === "k" || (key === " " && !event.target.closest("button, a, summary"))) { event.preventDefault(); playButton.click(); }
      else if (key === "j") back.click();
      else if (key === "l") forward.click();
      else if (key === "ArrowLeft") { event.preventDefault(); skip(-SKIP); }
      else if (key === "ArrowRight") { event.preventDefault(); skip(SKIP); }
      else if (key === ",") setRate(prefs.rate - 0.25);
      else if (key === ".") setRate(prefs.rate + 0.25);
    });

    // What the system's media controls show of the narration playing.
    function describe() {
      if (!("mediaSession" in navigator) || !window.MediaMetadata) return;
      var artwork = config.artwork ? [{ src: config.artwork, sizes: "960x540" }] : [];
      navigator.mediaSession.metadata = new window.MediaMetadata({ title: config.title, artist: config.site, album: config.site, artwork: artwork });
    }
    describe();
    if ("mediaSession" in navigator) {
      var actions = {
        play: start, pause: function () { audio.pause(); },
        previoustrack: function () { back.click(); }, nexttrack: function () { forward.click(); },
        seekbackward: function (details) { skip(-(details.seekOffset || SKIP)); },
        seekforward: function (details) { skip(details.seekOffset || SKIP); },
        seekto: function (details) { audio.currentTime = details.seekTime; }
      };
      Object.keys(actions).forEach(function (action) { try { navigator.mediaSession.setActionHandler(action, actions[action]); } catch (e) { /* unsupported */ } });
      // Where the listen is, for the lock screen's and the system's progress bar and seeking.
      var position = function () {
        var total = duration();
        if (navigator.mediaSession.setPositionState && total > 0 && isFinite(total)) {
          try {
            navigator.mediaSession.setPositionState({ duration: total, playbackRate: audio.playbackRate || 1, position: Math.min(Math.max(audio.currentTime, 0), total) });
          } catch (e) { /* a state the browser refuses is left out */ }
        }
      };
      ["loadedmetadata", "durationchange", "ratechange", "seeked", "play", "pause"].forEach(function (name) { audio.addEventListener(name, position); });
      audio.addEventListener("play", function () { navigator.mediaSession.playbackState = "playing"; });
      audio.addEventListener("pause", function () { navigator.mediaSession.playbackState = "paused"; });
    }

    // Voices, with their measured pace for the rate label.
    fetch("/api/voices").then(function (r) { return r.json(); }).then(function (body) {
      voiceSelect.textContent = "";
      body.voices.forEach(function (v) {
        wpm[v.id] = v.wpm;
        var option = document.createElement("option");
        option.value = v.id;
        option.textContent = v.name + " — " + v.language + ", " + v.gender + ", " + v.quality;
        voiceSelect.appendChild(option);
      });
      if (!Object.prototype.hasOwnProperty.call(wpm, voice)) {
        // A remembered voice this server no longer has: back to the default.
        voice = config.voice; delete prefs.voices[config.language]; save(); setSource(false);
        whenTimings(voice, function (list) { timings = list; markWords(list); update(); });
      }
      voiceSelect.value = voice;
      showRate();
    }).catch(function () { /* the default voice still plays */ });

    // A library's reader: where they are is kept on the server (every 10 s of listening and at
    // each pause), so that another device resumes at the same sentence; a listen to the end
    // marks the article read.
    var synced = 0;
    function syncPosition() {
      if (!config.library || current < 0) return;
      synced = Date.now();
      fetch("/api/library/" + config.id + "/position", {
        method: "PUT", credentials: "same-origin", keepalive: true, headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sentence: current, ms: Math.round(audio.currentTime * 1000) })
      }).catch(function () { /* kept locally all the same */ });
    }
    if (config.library) {
      audio.addEventListener("timeupdate", function () { if (!audio.paused && Date.now() - synced > 10000) syncPosition(); });
      audio.addEventListener("pause", syncPosition);
      audio.addEventListener("ended", function () {
        fetch("/api/library/" + config.id, {
          method: "PATCH", credentials: "same-origin", keepalive: true, headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ read: true, archived: true })
        }).catch(function () { /* marked another time */ });
      });
    }

    // Start: the remembered voice and position (a library's, from the server), the speed, the
    // timings.
    var saved = load("lector.position." + config.id, {});
    setSource(false);
    if (config.resume == null && saved.voice === voice && saved.time > 1) pendingSeek = saved.time;
    showRate();
    whenTimings(voice, function (list) {
      timings = list; markWords(list);
      if (config.resume != null && timings[config.resume]) {
        pendingSeek = timings[config.resume].start_ms / 1000 + 0.01;
        if (audio.readyState >= 1) { audio.currentTime = pendingSeek; pendingSeek = null; }
        highlight(config.resume);
      }
      update();
    });
    if (window.location.hash === "#listen") start();
  }
  setUp();
  document.addEventListener("lector:page", setUp);
})();
