// Draw every chart on the page from its data-figure attribute (JSON written by the server).
// No inline script: the Content-Security-Policy only allows this file and the Plotly bundle.
(function () {
  "use strict";

  function draw(el) {
    var figure;
    try {
      figure = JSON.parse(el.getAttribute("data-figure"));
    } catch (e) {
      el.textContent = "This chart could not be read.";
      return;
    }
    if (typeof Plotly === "undefined") {
      el.textContent = "Charts need JavaScript; the tables below hold the same numbers.";
      return;
    }
    var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"] };
    Plotly.newPlot(el, figure.data, figure.layout, config).then(function () {
      el.setAttribute("data-drawn", "true");
    });
    // A mark carries the address of the commitments behind it: a click opens them.
    el.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var target = point && point.customdata;
      if (typeof target === "string" && (target.charAt(0) === "/" || target.charAt(0) === "#")) {
        window.location.assign(target);
      }
    });
  }

  function drawAll() {
    var charts = document.querySelectorAll(".chart[data-figure]");
    for (var i = 0; i < charts.length; i++) {
      draw(charts[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
