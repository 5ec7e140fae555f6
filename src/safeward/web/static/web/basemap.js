/* The map background: tiles from the configured server, or else land and sea drawn from the
   Natural Earth file the app serves itself, so an isolated network still sees a real map. */
(function () {
  "use strict";
  var script = document.currentScript;
  var urls = script ? [script.dataset.land, script.dataset.vietnam].filter(Boolean) : [];
  var land = null;
  function drawLand(map) {
    map.getContainer().style.background = "#b8d8e8";
    var layer = function (data) {
      window.L.geoJSON(data, {
        interactive: false,
        style: { stroke: true, color: "#9aa88f", weight: 0.6, fillColor: "#f3efe4", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    };
    if (!land) {
      land = Promise.all(urls.map(function (u) {
        return fetch(u).then(function (r) { return r.json(); });
      }));
    }
    map.attributionControl && map.attributionControl.addAttribution("Natural Earth");
    land.then(function (all) { all.forEach(layer); })
      .catch(function () { map.getContainer().style.background = "#e8eef2"; });
  }
  // Leaflet finds its marker images by reading a file name out of its stylesheet, which hashed
  // static names defeat: the page names the three images itself.
  if (window.L && script && script.dataset.pin) {
    delete window.L.Icon.Default.prototype._getIconUrl;
    window.L.Icon.Default.mergeOptions({
      iconUrl: script.dataset.pin, iconRetinaUrl: script.dataset.pin2x, shadowUrl: script.dataset.pinShadow
    });
  }
  window.safewardBasemap = function (map, tiles) {
    if (tiles) window.L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    else drawLand(map);
  };
})();
