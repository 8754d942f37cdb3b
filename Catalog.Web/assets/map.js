// Draws each dataset map with Leaflet over the configured tiles. Without JavaScript, or when the tiles cannot be
// reached, the server's SVG point plot beside it stays in view.
(function () {
  'use strict';
  document.querySelectorAll('.map[data-tiles]').forEach(function (el) {
    if (!window.L) return;
    var plot = document.querySelector('[data-plot-for="' + el.id + '"]');
    var points = JSON.parse(el.getAttribute('data-points') || '[]');
    if (!points.length) return;
    el.hidden = false;
    var map = L.map(el, { scrollWheelZoom: false });
    var failures = 0, loaded = 0;
    var tiles = L.tileLayer(el.getAttribute('data-tiles'), {
      attribution: el.getAttribute('data-attribution') || '', maxZoom: 18
    });
    tiles.on('tileload', function () { loaded++; if (plot && loaded === 1) plot.classList.add('covered'); });
    tiles.on('tileerror', function () {
      failures++;
      if (failures >= 4 && loaded === 0) { el.hidden = true; map.remove(); if (plot) plot.classList.remove('covered'); }
    });
    tiles.addTo(map);
    var bounds = [];
    points.forEach(function (p) {
      var m = L.circleMarker([p[0], p[1]], { radius: 6, color: '#fff', weight: 1, fillColor: '#c0392b', fillOpacity: 0.9 });
      if (p[2]) m.bindTooltip(String(p[2]));
      m.addTo(map);
      bounds.push([p[0], p[1]]);
    });
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
  });
})();
