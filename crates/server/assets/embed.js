// lector's embed loader for publishers' pages: where this script tag stands, the listen player
// appears, in a frame. Usage:
//   <script src="https://LECTOR/embed.js" data-article="ID, EXTERNAL-ID OR URL" async></script>
// Without data-article, the page's canonical address (or its own) names the article.
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
})();
