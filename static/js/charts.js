/* Draws every chart on the page with plotly.js, from the figure the page emitted with Django's
   json_script (a JSON block, not a script): no inline script, so the CSP stays strict.
   <div data-figure="ID"> names the JSON block; the data table beside it says the same in text. */
(function () {
  "use strict";

  var config = { displayModeBar: false, responsive: true, displaylogo: false };

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-figure"));
    if (!source || typeof window.Plotly === "undefined") {
      return;
    }
    var figure = JSON.parse(source.textContent);
    container.classList.add("chart-drawn");
    window.Plotly.newPlot(container, figure.data, figure.layout, config).then(function () {
      container.setAttribute("data-drawn", "true");
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-figure]"), draw);
})();
