/* Card payment with Stripe.js Elements: the page confirms the PaymentIntent; the server marks the order paid only
   when the signed webhook arrives, so after confirming we poll the status. */
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form || typeof window.Stripe !== "function") return;
  var stripe = window.Stripe(form.dataset.key);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  var errors = document.getElementById("card-errors");
  var waiting = document.getElementById("card-waiting");
  function poll(tries) {
    fetch(form.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.status === "paid") { window.location = form.dataset.doneUrl; }
        else if (data.status === "unpaid" && tries > 0) { setTimeout(function () { poll(tries - 1); }, 1500); }
        else { window.location.reload(); }
      });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button"); button.disabled = true; errors.textContent = "";
    stripe.confirmCardPayment(form.dataset.clientSecret, { payment_method: { card: card } }).then(function (result) {
      if (result.error) { errors.textContent = result.error.message || String(result.error); button.disabled = false; return; }
      form.hidden = true; waiting.hidden = false; poll(40);
    });
  });
})();
