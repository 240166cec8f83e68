// The live view: ask the server for the matrix once it differs from the one shown (a long poll that the
// server answers on a change, from any worker) and swap it in. No framework, no CDN.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live) { return; }
  function refresh() {
    var url = "/instructor/live?after=" + encodeURIComponent(live.dataset.mark || "");
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        var next = html && new DOMParser().parseFromString(html, "text/html").getElementById("live");
        if (next) { live.replaceWith(next); live = next; setTimeout(refresh, 0); } else { setTimeout(refresh, 1000); }
      })
      .catch(function () { setTimeout(refresh, 1000); });
  }
  refresh();
}());
