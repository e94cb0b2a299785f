// Draws every dashboard figure from the JSON the page carries (json_script).
// One static script, no inline code, so the pages work under a strict
// Content-Security-Policy.
(function () {
  "use strict";

  function draw(container) {
    var source = document.getElementById(container.dataset.figure);
    if (!source || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var language = document.documentElement.lang || "nl";
    window.Plotly.newPlot(container, figure.data, figure.layout, {
      locale: language === "nl" ? "nl" : "en",
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
      toImageButtonOptions: { format: "png", filename: container.dataset.filename, scale: 2 },
    });
  }

  function drawAll() {
    document.querySelectorAll("[data-figure]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
