// Draws every dashboard figure from the JSON the page carries (json_script).
// One static script, no inline code, so the pages work under a strict
// Content-Security-Policy.
(function () {
  "use strict";

  // The mode bar holds two buttons only: download as PNG and reset the zoom, with the
  // reader's labels (the vendored Dutch locale misspells the first and lacks the second).
  var LABELS = {
    nl: { "Download plot as a PNG": "Download als PNG", "Reset axes": "Zoom herstellen" },
    en: { "Download plot as a PNG": "Download as PNG", "Reset axes": "Reset zoom" },
  };
  // Below this width the figure's text is a size smaller, so labels keep their room.
  var NARROW = 560;
  // A downloaded PNG is this wide, whatever the screen, with the chart's title on it.
  var PNG_WIDTH = 1000;

  function language() {
    return (document.documentElement.lang || "nl").slice(0, 2) === "en" ? "en" : "nl";
  }

  // The chart's title as the page shows it: the heading that labels the figure.
  function headingText(container) {
    var frame = container.closest("[aria-labelledby]");
    var heading = frame && document.getElementById(frame.getAttribute("aria-labelledby"));
    return heading ? heading.textContent.trim() : "";
  }

  // Text from the page as Plotly's title markup shows it, not as tags of its own.
  function escaped(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // Break a long title over lines, as Plotly draws a title on one line only.
  function wrapped(text, width) {
    var lines = [];
    var line = "";
    text.split(/\s+/).forEach(function (word) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    lines.push(line);
    return lines.join("<br>");
  }

  // The chart's sources as the page gives them below its table ("Bron: …").
  function sourceText(container) {
    var chart = container.closest(".chart");
    var source = chart && chart.querySelector(".source");
    return source ? source.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // A PNG travels without the page, so it carries the chart's title and, in smaller
  // type under it, its sources. Both stand in the top margin, anchored to the image: the
  // bottom margin is the legend's, which moves with the plot's height.
  function downloadButton(container, title) {
    return {
      name: "toImage",
      title: LABELS[language()]["Download plot as a PNG"],
      icon: window.Plotly.Icons.camera,
      click: function (graph) {
        var titleLines = wrapped(escaped(title), 70).split("<br>");
        var source = escaped(sourceText(container));
        var sourceLines = source ? wrapped(source, 120).split("<br>") : [];
        var added = 26 * titleLines.length + (sourceLines.length ? 12 + 24 * sourceLines.length : 0);
        var text = titleLines.join("<br>");
        if (sourceLines.length) {
          text += '<br><span style="font-size:12px;color:#3b3b3b">' + sourceLines.join("<br>") + "</span>";
        }
        var margin = Object.assign({}, graph.layout.margin, { t: 40 + added });
        var layout = Object.assign({}, graph.layout, {
          title: { text: text, x: 0.01, xanchor: "left", xref: "container", font: { size: 18 } },
          margin: margin,
          font: Object.assign({}, graph.layout.font, { size: 14 }),
        });
        window.Plotly.downloadImage(
          { data: graph.data, layout: layout, config: { locale: language() } },
          {
            format: "png",
            filename: container.dataset.filename,
            width: PNG_WIDTH,
            height: graph.clientHeight + added,
            scale: 2,
          }
        );
      },
    };
  }

  // On a phone: smaller text, and fewer ticks on a value axis, so its labels stay level.
  function narrowed(layout) {
    layout.font = Object.assign({}, layout.font, { size: 12 });
    Object.keys(layout).forEach(function (key) {
      var axis = layout[key];
      if (/^[xy]axis\d*$/.test(key) && axis.type !== "category" && axis.dtick === undefined) {
        layout[key] = Object.assign({}, axis, { nticks: 3 });
      }
    });
  }

  function draw(container) {
    var source = document.getElementById(container.dataset.figure);
    if (!source || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var layout = Object.assign({}, figure.layout);
    // The page shows the title as the chart's heading; drawn again it would be cut on a
    // phone and sit under the mode bar. The downloaded PNG carries it.
    var title = headingText(container) || (layout.title && layout.title.text) || "";
    delete layout.title;
    if (container.clientWidth < NARROW) {
      narrowed(layout);
    }
    var lang = language();
    window.Plotly.newPlot(container, figure.data, layout, {
      locale: lang,
      locales: { nl: { dictionary: LABELS.nl }, en: { dictionary: LABELS.en } },
      responsive: true,
      displaylogo: false,
      showSendToCloud: false,
      showEditInChartStudio: false,
      modeBarButtons: [[downloadButton(container, title), "resetScale2d"]],
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
// an A4 page's text (static/css/print.css: 180 mm = 680 px) and its drawn height (the
// figure has no title of its own: the page's heading is its title). Afterwards each
// chart is given back its own size and fitted to the screen again.
(function printLayout() {
  "use strict";

  var PRINT_WIDTH_PX = 680;

  function charts() {
    return Array.prototype.filter.call(
      document.querySelectorAll("[data-figure]"),
      function (chart) { return chart._fullLayout; }
    );
  }

  function given(value) {
    return value === undefined ? null : value;
  }

  function beforePrint() {
    if (!window.Plotly) {
      return;
    }
    charts().forEach(function (chart) {
      if (!chart.dataset.printSize) {
        chart.dataset.printSize = JSON.stringify({
          width: given(chart.layout.width),
          height: given(chart.layout.height),
        });
      }
      var width = Math.min(PRINT_WIDTH_PX, chart._fullLayout.width);
      window.Plotly.relayout(chart, { width: width, height: chart._fullLayout.height });
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
