/* checkin.js: the check-in timer's extras (issue 13). Every page works
 * without it: the private page refreshes itself and its buttons are forms.
 * With it: the time left counts down each second; a minute before the end
 * the phone vibrates and beeps (where the browser allows) and a notice
 * shows; the screen is kept awake (Screen Wake Lock API) while the timer
 * runs; on the form, "Add my location" appends the position to "where". */
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      var ctx = new Ctx(), osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.2;
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.6);
    } catch (e) { /* no sound: the notice and vibration remain */ }
  }

  function keepAwake() {
    if (!("wakeLock" in navigator)) return;
    var lock = null;
    function ask() {
      navigator.wakeLock.request("screen").then(function (l) { lock = l; }, function () {});
    }
    ask();
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && (!lock || lock.released)) ask();
    });
  }

  function countdown(page) {
    var due = Number(page.getAttribute("data-due-ms"));
    var left = document.getElementById("ck-left"), soon = document.getElementById("ck-soon");
    if (!due || !left) return;
    // the server's clock decides; this only shows the seconds between refreshes
    var warned = false;
    function tick() {
      var s = Math.max(0, Math.round((due - Date.now()) / 1000));
      left.textContent = Math.floor(s / 60) + " min " + pad(s % 60) + " s";
      if (s <= 60 && !warned) {
        warned = true;
        if (soon) soon.hidden = false;
        if (navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 400]);
        beep();
      }
      if (s === 0) { window.location.reload(); return; }
      window.setTimeout(tick, 1000);
    }
    tick();
    keepAwake();
  }

  function locate() {
    var btn = document.getElementById("ck-locate"), where = document.getElementById("ck-where");
    var status = document.getElementById("ck-locate-status");
    if (!btn || !where || !navigator.geolocation) return;
    btn.hidden = false;
    // The words come from the page (data-* on the status), in its language.
    var say = function (key) { return status.getAttribute("data-" + key) || ""; };
    btn.addEventListener("click", function () {
      status.textContent = say("finding");
      navigator.geolocation.getCurrentPosition(function (p) {
        var lat = p.coords.latitude.toFixed(5), lon = p.coords.longitude.toFixed(5);
        var line = say("line").replace("LAT", lat).replace("LON", lon)
          .replace("METERS", String(Math.round(p.coords.accuracy))) + " " +
          "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=18/" + lat + "/" + lon;
        where.value = (where.value ? where.value.replace(/\s+$/, "") + "\n" : "") + line;
        status.textContent = say("added");
      }, function () {
        status.textContent = say("unavailable");
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var page = document.getElementById("ck-page");
    if (page && page.getAttribute("data-state") === "running") countdown(page);
    locate();
  });
})();
