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
  // Share: the phone's share sheet (Zalo, Facebook, …) where the browser has one, else copy the link.
  document.querySelectorAll("[data-share-url]").forEach(function (box) {
    var button = box.querySelector(".share-button");
    var status = box.querySelector(".share-status");
    var field = box.querySelector(".share-link");
    var url = box.dataset.shareUrl;
    function say(text) { status.textContent = text; }
    function showLink() {
      say(box.dataset.shareFailed);
      field.hidden = false;
      field.focus();
      field.select();
    }
    function copy() {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(function () { say(box.dataset.shareCopied); }, showLink);
        return;
      }
      field.hidden = false;
      field.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      if (copied) { field.hidden = true; say(box.dataset.shareCopied); } else { showLink(); }
    }
    button.addEventListener("click", function () {
      say("");
      if (navigator.share) {
        navigator.share({ title: box.dataset.shareTitle, text: box.dataset.shareText, url: url })
          .catch(function (err) { if (!err || err.name !== "AbortError") copy(); });
      } else {
        copy();
      }
    });
    box.hidden = false;
  });
  // Ask before destructive actions.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
})();
