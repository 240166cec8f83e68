// The live view: fetch the matrix fragment every second and swap it in. No framework, no CDN.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live) { return; }
  function refresh() {
    fetch("/instructor/live", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("live");
        if (next) { live.replaceWith(next); live = next; }
      })
      .catch(function () {})
      .finally(function () { setTimeout(refresh, 1000); });
  }
  setTimeout(refresh, 1000);
}());
