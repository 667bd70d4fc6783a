/* Checkout: "use this code" looks the digital address up without reloading the page, and the order summary (goods,
   shipping per parcel, total) follows the province as it changes. Without JavaScript the buttons submit the form,
   which comes back filled in and priced. */
(function () {
  "use strict";
  var button = document.getElementById("use-code");
  var input = document.getElementById("address_code");
  var status = document.getElementById("address-code-status");
  var province = document.getElementById("province");
  var ward = document.getElementById("ward");
  var line = document.getElementById("address_line");
  var summary = document.getElementById("order-summary");
  var quoted = document.getElementById("quoted-total");
  if (!window.fetch || !province) return;

  function requote() {
    if (!summary || !quoted) return;
    var pickup = document.getElementById("pickup_point");
    var query = "province=" + encodeURIComponent(province.value) + "&ward=" + encodeURIComponent(ward ? ward.value : "")
      + "&pickup=" + encodeURIComponent(pickup ? pickup.value : "");
    fetch("/checkout/quote?" + query, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        summary.innerHTML = data.html;
        quoted.value = data.total === null ? "" : String(data.total);
      })
      .catch(function () { /* the server prices it on submit */ });
  }
  province.addEventListener("change", requote);
  if (ward) ward.addEventListener("change", requote);
  var pickupChoice = document.getElementById("pickup_point");
  if (pickupChoice) pickupChoice.addEventListener("change", requote);

  function fillWards(provinceCode, wardCode) {
    return fetch("/geo/provinces/" + encodeURIComponent(provinceCode) + "/wards", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { wards: [] }; })
      .then(function (data) {
        ward.innerHTML = "";
        var blank = document.createElement("option"); blank.value = ""; blank.textContent = "—"; ward.appendChild(blank);
        data.wards.forEach(function (w) {
          var o = document.createElement("option"); o.value = w.code; o.textContent = w.name; ward.appendChild(o);
        });
        ward.value = String(wardCode);
      });
  }

  if (!button || !input) return;
  button.addEventListener("click", function (event) {
    var code = input.value.trim();
    if (!code) return; // let the server say what is missing
    event.preventDefault();
    status.textContent = "…";
    fetch("/api/addresses/" + encodeURIComponent(code), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { status.textContent = res.body.error || ""; input.setAttribute("aria-invalid", "true"); return; }
        var a = res.body;
        input.removeAttribute("aria-invalid");
        input.value = a.code;
        province.value = String(a.province_code);
        line.value = a.address_line;
        status.textContent = a.address_line + ", " + a.ward + ", " + a.province;
        return fillWards(a.province_code, a.ward_code).then(requote);
      })
      .catch(function () { button.form.requestSubmit ? button.form.requestSubmit(button) : button.form.submit(); });
  });
})();
