/* Waypost's only script, an optional enhancement: every page works without
   it. Quick exit: leave for the configured neutral site and replace this
   page in the history, so Back does not return here. Pressing Escape twice
   quickly does the same. */
(function () {
  "use strict";
  var exit = document.getElementById("wp-exit");
  if (!exit) { return; }
  function leave(event) {
    if (event) { event.preventDefault(); }
    window.location.replace(exit.href);
  }
  exit.addEventListener("click", leave);
  var last = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - last < 600) { leave(event); }
    last = now;
  });
}());

/* "Use my location" on the service finder: asks the browser for the
   device's position and puts it in the "where" box as latitude,longitude,
   then searches. The position goes only to this site. */
(function () {
  "use strict";
  var button = document.getElementById("wp-locate");
  var where = document.getElementById("f-where");
  if (!button || !where || !navigator.geolocation) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      where.value = pos.coords.latitude.toFixed(4) + "," + pos.coords.longitude.toFixed(4);
      where.form.submit();
    }, function () {
      button.disabled = false;
      where.focus();
    }, { timeout: 10000, maximumAge: 600000 });
  });
}());
