/* Bank-transfer page: poll the payment's status every second and show the outcome without a reload (the order is
   paid only when the bank-statement service tells the server); copy buttons; the print button of the sheet. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      navigator.clipboard.writeText(copy.dataset.copy).then(function () { copy.classList.add("copied"); }, function () {});
    }
    if (event.target.closest("[data-print]")) window.print();
  });
  var box = document.getElementById("transfer-status");
  if (!box || !window.fetch) return;
  var pay = document.getElementById("transfer-pay");
  function show(status) {
    if (status === "unpaid") return false;
    if (pay) pay.hidden = true;
    document.getElementById(status === "paid" ? "transfer-paid" : "transfer-gone").hidden = false;
    return true;
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { status: "unpaid" }; })
      .then(function (data) { if (!show(data.status)) setTimeout(poll, 1000); })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
