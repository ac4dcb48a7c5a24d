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

/* The header's Menu and Search links point at the menu section at the
   end of the page, which works without JavaScript. Here they become a
   disclosure: the section opens under the header (Search also puts the
   cursor in the search box) and closes again with the same button or
   Escape. */
(function () {
  "use strict";
  var menu = document.getElementById("wp-menu");
  var bar = document.querySelector(".top .bar");
  var links = [document.getElementById("wp-menu-link"), document.getElementById("wp-search-link")];
  if (!menu || !bar || !links[0] || !links[1]) { return; }
  var home = menu.nextSibling, parent = menu.parentNode;
  function setOpen(open, from) {
    if (open) { bar.parentNode.insertBefore(menu, bar.nextSibling); } else { parent.insertBefore(menu, home); }
    links.forEach(function (l) { l.setAttribute("aria-expanded", open && l === from ? "true" : "false"); });
  }
  links.forEach(function (link) {
    link.setAttribute("role", "button");
    link.setAttribute("aria-controls", "wp-menu");
    link.setAttribute("aria-expanded", "false");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var open = link.getAttribute("aria-expanded") !== "true";
      setOpen(open, link);
      if (open && link.id === "wp-search-link") { document.getElementById("wp-q").focus(); }
    });
    link.addEventListener("keydown", function (event) {
      if (event.key === " ") { event.preventDefault(); link.click(); }
    });
  });
  menu.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || menu.parentNode === parent) { return; }
    var from = links[0].getAttribute("aria-expanded") === "true" ? links[0] : links[1];
    event.stopPropagation(); /* one Escape closes the menu; it does not count towards quick exit */
    setOpen(false, null);
    from.focus();
  });
}());
