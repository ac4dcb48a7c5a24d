/* The optional interactive map of the service finder's results, loaded
   only when the site configures a tile server (map.tiles) and only on a
   results page, after Leaflet (Debian's libjs-leaflet, served by this
   site). It puts a Leaflet map in place of the map the server drew, with
   the same numbered markers; each marker's popup links to the listing.
   Everything it needs is in data- attributes: the tile template, its
   credit and the deepest zoom on the figure, and each result's number,
   latitude and longitude on its list item (the name and link are read
   from the item's heading). Without JavaScript, or if anything here
   fails, the server's map stays. The list stays the main content. */
(function () {
  "use strict";
  var figure = document.querySelector("figure.map-figure[data-tiles]");
  var L = window.L;
  if (!figure || !L || !L.map) { return; }
  var svg = figure.querySelector("svg.map");
  var tiles = figure.getAttribute("data-tiles");
  var maxZoom = parseInt(figure.getAttribute("data-max-zoom"), 10) || 18;

  // Leaflet's attribution is HTML; the configured credit is plain text.
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  var pins = [];
  var items = document.querySelectorAll(".results-list li[data-lat]");
  for (var i = 0; i < items.length; i++) {
    var li = items[i];
    var lat = parseFloat(li.getAttribute("data-lat"));
    var lon = parseFloat(li.getAttribute("data-lon"));
    var number = parseInt(li.getAttribute("data-number"), 10);
    var link = li.querySelector("h3 a");
    if (!isFinite(lat) || !isFinite(lon) || !number || !link) { continue; }
    var name = link.cloneNode(true);
    var badges = name.querySelectorAll(".badge");
    for (var b = 0; b < badges.length; b++) { badges[b].parentNode.removeChild(badges[b]); }
    pins.push({ lat: lat, lon: lon, number: number, name: name.textContent.trim(), href: link.getAttribute("href") });
  }
  if (!pins.length) { return; }

  var box = document.createElement("div");
  box.className = "leaflet-map";
  box.id = "wp-leaflet-map";
  box.setAttribute("role", "region");
  // The words come from the page (data-map-label, data-map-caption), in its language.
  box.setAttribute("aria-label", (figure.getAttribute("data-map-label") || "").replace("COUNT", String(pins.length)));
  figure.insertBefore(box, figure.firstChild);

  var map;
  try {
    map = L.map(box, { scrollWheelZoom: false, maxZoom: maxZoom });
    L.tileLayer(tiles, { maxZoom: maxZoom, attribution: escapeHtml(figure.getAttribute("data-attribution") || "") })
      .addTo(map);
  } catch (e) {
    figure.removeChild(box);
    return;
  }

  var bounds = [];
  pins.forEach(function (p) {
    var label = document.createElement("span");
    label.textContent = String(p.number);
    var icon = L.divIcon({ className: "map-pin", html: label.outerHTML, iconSize: [28, 28], iconAnchor: [14, 14],
      popupAnchor: [0, -14] });
    var popup = document.createElement("p");
    var a = document.createElement("a");
    a.href = p.href;
    a.textContent = p.number + ". " + p.name;
    popup.appendChild(a);
    L.marker([p.lat, p.lon], { icon: icon, title: p.number + ". " + p.name, keyboard: true, riseOnHover: true })
      .bindPopup(popup)
      .addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  map.fitBounds(bounds, { padding: [28, 28], maxZoom: Math.min(15, maxZoom) });

  // The server's drawing would now repeat the same map: take it out.
  if (svg) { svg.parentNode.removeChild(svg); }
  var caption = figure.querySelector("figcaption");
  if (caption) { caption.textContent = (figure.getAttribute("data-map-caption") || "")
    .replace("ATTRIBUTION", figure.getAttribute("data-attribution") || ""); }
}());
