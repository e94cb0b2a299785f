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

// Print and PDF (issue 15): a responsive chart takes its size from its container,
// which the printed page lays out at another width (and, without the screen's
// min-height, at height 0). Before printing, each chart is redrawn at the width of
// an A4 page's text (static/css/print.css: 180 mm = 680 px) and its drawn height,
// with a title too long for that width set smaller rather than cut off. Afterwards
// each chart is given back its own size and fitted to the screen again.
(function printLayout() {
  "use strict";

  var PRINT_WIDTH_PX = 680;
  var TITLE_MARGIN_PX = 24;

  function charts() {
    return Array.prototype.filter.call(
      document.querySelectorAll("[data-figure]"),
      function (chart) { return chart._fullLayout; }
    );
  }

  function given(value) {
    return value === undefined ? null : value;
  }

  function fitTitle(chart, width) {
    var title = chart.querySelector(".gtitle");
    var size = chart._fullLayout.title && chart._fullLayout.title.font.size;
    if (!title || !size || title.getBBox().width <= width - TITLE_MARGIN_PX) {
      return;
    }
    var smaller = Math.floor((size * (width - TITLE_MARGIN_PX)) / title.getBBox().width);
    window.Plotly.relayout(chart, { "title.font.size": Math.max(8, smaller) });
  }

  function beforePrint() {
    if (!window.Plotly) {
      return;
    }
    charts().forEach(function (chart) {
      if (!chart.dataset.printSize) {
        var title = chart.layout.title;
        chart.dataset.printSize = JSON.stringify({
          width: given(chart.layout.width),
          height: given(chart.layout.height),
          "title.font.size": given(title && title.font && title.font.size),
        });
      }
      var width = Math.min(PRINT_WIDTH_PX, chart._fullLayout.width);
      window.Plotly.relayout(chart, { width: width, height: chart._fullLayout.height });
      fitTitle(chart, width);
    });
  }

  function afterPrint() {
    if (!window.Plotly) {
      return;
    }
    charts().forEach(function (chart) {
      if (!chart.dataset.printSize) {
        return;
      }
      var size = JSON.parse(chart.dataset.printSize);
      delete chart.dataset.printSize;
      window.Plotly.relayout(chart, size).then(function () {
        window.Plotly.Plots.resize(chart);
      });
    });
  }

  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
})();
