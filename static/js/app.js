/* Small improvements on top of pages that work without JavaScript. */
(function () {
  "use strict";
  // Ward picker follows the province picker.
  document.querySelectorAll("select[data-ward-target]").forEach(function (province) {
    province.addEventListener("change", function () {
      var ward = document.getElementById(province.dataset.wardTarget);
      if (!ward) return;
      ward.disabled = true;
      fetch("/geo/provinces/" + encodeURIComponent(province.value) + "/wards", { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { wards: [] }; })
        .then(function (data) {
          ward.innerHTML = "";
          var blank = document.createElement("option"); blank.value = ""; blank.textContent = "—"; ward.appendChild(blank);
          data.wards.forEach(function (w) {
            var o = document.createElement("option"); o.value = w.code; o.textContent = w.name; ward.appendChild(o);
          });
          ward.disabled = false;
        })
        .catch(function () { ward.disabled = false; });
    });
  });
  // Ask before destructive actions.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
})();
