/* Search-as-you-type: fills the search box's <datalist> from /search/suggest. The form works without it. */
(function () {
  "use strict";
  var input = document.getElementById("site-search");
  if (!input || !window.fetch) return;
  var list = document.getElementById(input.getAttribute("list"));
  var timer = null, last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var value = input.value.trim();
      if (value.length < 2 || value === last) return;
      last = value;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(value), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          if (data.query !== input.value.trim()) return;
          list.innerHTML = "";
          data.suggestions.forEach(function (s) {
            var o = document.createElement("option"); o.value = s; list.appendChild(o);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
