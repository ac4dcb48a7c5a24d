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
