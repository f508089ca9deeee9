// Map of documented facilities and located suppliers, drawn over a bundled outline of China's
// provinces (Natural Earth admin-1). No tile server: every layer comes from this application.
"use strict";

(function () {
  const element = document.getElementById("map");
  if (!element || typeof L === "undefined") return;

  const map = L.map(element, { preferCanvas: true, zoomSnap: 0.5, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(element.dataset.attribution || "");
  map.setView([38, 95], 4);

  function text(value) {
    // Popups are built as DOM nodes, never as HTML strings: names come from untrusted files.
    const span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function popup(lines, href) {
    const box = document.createElement("div");
    lines.filter(Boolean).forEach((line, i) => {
      const node = i === 0 ? document.createElement("strong") : document.createElement("div");
      node.appendChild(text(line));
      box.appendChild(node);
    });
    if (href) {
      const link = document.createElement("a");
      link.href = href;
      link.textContent = "details";
      box.appendChild(link);
    }
    return box;
  }

  async function load(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  }

  Promise.all([load(element.dataset.outline), load(element.dataset.points)])
    .then(([outline, points]) => {
      const provinces = L.geoJSON(outline, {
        style: (feature) => ({
          color: "#59636e", weight: 1, fillOpacity: 0.35,
          fillColor: feature.properties.iso_3166_2 === "CN-65" ? "#e7c9a9" : "#ffffff",
        }),
        onEachFeature: (feature, layer) => {
          const p = feature.properties;
          layer.bindTooltip(text(`${p.name} ${p.name_zh}`), { sticky: true });
        },
      }).addTo(map);
      const facilities = L.layerGroup();
      const suppliers = L.layerGroup();
      points.facilities.forEach((f) => {
        L.circleMarker([f.lat, f.lon], { radius: 4, color: "#7f1d1d", weight: 1, fillOpacity: 0.8 })
          .bindPopup(popup([f.name, f.kind, f.source], f.url))
          .addTo(facilities);
      });
      points.suppliers.forEach((s) => {
        L.circleMarker([s.lat, s.lon], { radius: 7, color: "#0b57d0", weight: 2, fillOpacity: 0.5 })
          .bindPopup(popup([s.name, s.place, s.tier], s.href))
          .addTo(suppliers);
      });
      facilities.addTo(map);
      suppliers.addTo(map);
      L.control.layers(null, {
        "Documented facilities": facilities,
        "Suppliers (placed at the named town or county)": suppliers,
      }).addTo(map);
      map.fitBounds(provinces.getBounds());
      element.dataset.ready = String(points.facilities.length + points.suppliers.length);
    })
    .catch((error) => {
      element.textContent = `The map could not be drawn: ${error.message}`;
    });
})();
