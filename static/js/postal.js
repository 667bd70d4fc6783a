/* Fill latitude and longitude from the phone's position (the form works without it: type the numbers). */
(function () {
  "use strict";
  var button = document.getElementById("use-position");
  if (!button || !navigator.geolocation) return;
  var status = document.getElementById("position-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("lng").value = pos.coords.longitude.toFixed(6);
      status.textContent = "± " + Math.round(pos.coords.accuracy) + " m";
    }, function (err) { status.textContent = err.message; }, { enableHighAccuracy: true, timeout: 20000 });
  });
})();
