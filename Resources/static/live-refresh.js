// Hot Desk Status refreshes itself: every 5 seconds it fetches its own page again and replaces the part
// marked #live-region, keeping the search box and focus as they are. A button pauses and resumes it
// (WCAG 2.2.2); without this script the page is the same, only still. Served from /static, so the portal's
// Content-Security-Policy (script-src 'self') needs no exception.
(function () {
  "use strict";
  var section = document.querySelector("[data-live-refresh]");
  var toggle = document.getElementById("live-refresh-toggle");
  if (!section || !toggle || !window.fetch || !window.DOMParser) { return; }
  var source = section.getAttribute("data-live-refresh");
  var paused = false;
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    paused = !paused;
    toggle.textContent = paused ? "Resume updates" : "Pause updates";
    toggle.setAttribute("aria-pressed", paused ? "true" : "false");
  });
  toggle.setAttribute("aria-pressed", "false");
  function refresh() {
    if (paused || document.hidden) { return; }
    fetch(source, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live-region");
        var current = document.getElementById("live-region");
        if (fresh && current && !current.contains(document.activeElement)) {
          current.replaceWith(document.importNode(fresh, true));
        }
      })
      .catch(function () { /* The next round tries again. */ });
  }
  window.setInterval(refresh, 5000);
})();
