/* Card payment with Stripe.js Elements. The card typed here becomes a payment method through a SetupIntent (the
   number never reaches our server); the server confirms the PaymentIntent with it; a 3-D Secure step, if the bank
   asks for one, runs here. The order is paid only when the signed webhook arrives, so we then poll the status. */
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form || typeof window.Stripe !== "function") return;
  var stripe = window.Stripe(form.dataset.key);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  var errors = document.getElementById("card-errors");
  var waiting = document.getElementById("card-waiting");
  var button = form.querySelector("button");

  var messages = {};
  try { messages = JSON.parse(form.dataset.messages || "{}"); } catch (e) { messages = {}; }
  // the card network's reason in the page's language (Stripe.js speaks English); the server's own messages as they are
  function said(error) {
    if (!error) return form.dataset.genericError || "";
    return messages[error.decline_code] || messages[error.code] || form.dataset.genericError || "";
  }
  function fail(message) {
    errors.textContent = message || form.dataset.genericError || "";
    button.disabled = false;
  }
  function poll(tries) {
    fetch(form.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.status === "paid") { window.location = form.dataset.doneUrl; }
        else if (data.status === "unpaid" && tries > 0) { setTimeout(function () { poll(tries - 1); }, 1000); }
        else { window.location.reload(); }
      });
  }
  function wait() { form.hidden = true; waiting.hidden = false; poll(60); }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true; errors.textContent = "";
    stripe.confirmCardSetup(form.dataset.setupSecret, { payment_method: { card: card } }).then(function (setup) {
      if (setup.error) { fail(said(setup.error)); return; }
      return fetch(form.dataset.confirmUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": form.dataset.csrf },
        body: JSON.stringify({ payment_method: setup.setupIntent.payment_method })
      }).then(function (r) { return r.json().then(function (d) { return { ok: r.ok, d: d }; }); })
        .then(function (res) {
          if (!res.ok) { fail(res.d.error); return; }
          if (res.d.status === "requires_action") {
            return stripe.confirmCardPayment(res.d.client_secret).then(function (auth) {
              if (auth.error) { fail(said(auth.error)); } else { wait(); }
            });
          }
          wait();
        });
    }).catch(function () { fail(); });
  });
})();
