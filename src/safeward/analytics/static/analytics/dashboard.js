/* Dashboard charts (Chart.js) and the child-unit map (Leaflet), drawn from JSON in the page. */
(function () {
  "use strict";
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var data = read("chart-data") || {};
  var rtl = document.documentElement.dir === "rtl";

  function draw(id, rows) {
    var canvas = document.getElementById("chart-" + id);
    if (!canvas || !window.Chart || !rows) return;
    new window.Chart(canvas, {
      type: canvas.dataset.kind || "bar",
      data: {
        labels: rows.map(function (r) { return r[0]; }),
        datasets: [{ label: data.label, data: rows.map(function (r) { return r[1]; }),
                     backgroundColor: "#1f5f8b", borderColor: "#1f5f8b" }]
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false,
                 plugins: { legend: { display: false } },
                 scales: { x: { reverse: rtl }, y: { beginAtZero: true, position: rtl ? "right" : "left" } } }
    });
  }
  draw("year", data.year);
  draw("month", data.month);
  draw("breakdown", data.breakdown);

  function colour(value, max) {
    if (value === null || value === undefined) return "#bbbbbb";
    var t = max > 0 ? value / max : 0;
    var light = Math.round(88 - 55 * t);
    return "hsl(205, 65%, " + light + "%)";
  }

  var features = read("map-data");
  var box = document.getElementById("unit-map");
  if (!box || !window.L || !features || !features.length) {
    if (box) box.style.display = "none";
    return;
  }
  var map = window.L.map(box, { attributionControl: false });
  var tiles = read("tile-url");
  if (window.safewardBasemap) window.safewardBasemap(map, tiles);
  else if (tiles) window.L.tileLayer(tiles, { maxZoom: 18 }).addTo(map);
  var max = Math.max.apply(null, features.map(function (f) { return f.value || 0; }));
  var layers = [];
  features.forEach(function (f) {
    var style = { color: "#123", weight: 1, fillColor: colour(f.value, max), fillOpacity: 0.8 };
    var layer = f.boundary
      ? window.L.geoJSON(f.boundary, { style: style })
      : window.L.circleMarker([f.lat, f.lon], Object.assign({ radius: 9 }, style));
    layer.bindTooltip(f.name + ": " + (f.value === null ? "—" : f.value.toLocaleString()));
    layer.on("click", function () {
      window.location.href = f.url + window.location.search;
    });
    layer.addTo(map);
    layers.push(layer);
  });
  var group = window.L.featureGroup(layers);
  map.fitBounds(group.getBounds().pad(0.1));
})();
