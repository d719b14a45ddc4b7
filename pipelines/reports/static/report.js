// Draws the page's charts with the vendored Vega-Lite bundle and pages the data tables.
// Charts: each <div class="chart" data-spec="ID"> gets the Vega-Lite spec from <script type="application/json" id="ID">.
// Tables: <div class="table" data-rows="N"> shows N rows a page, with an optional search box.
(function () {
  "use strict";

  var EMBED_OPTIONS = {
    mode: "vega-lite",
    renderer: "svg",
    actions: { export: true, source: false, compiled: false, editor: false }
  };

  function drawChart(element) {
    var spec = JSON.parse(document.getElementById(element.getAttribute("data-spec")).textContent);
    return window.vegaEmbed(element, spec, EMBED_OPTIONS).then(function () {
      element.setAttribute("data-drawn", "true");
    }).catch(function (error) {
      element.setAttribute("data-drawn", "error");
      element.textContent = "This chart could not be drawn: " + error;
      console.error(error);
    });
  }

  function pageTable(wrapper) {
    var size = parseInt(wrapper.getAttribute("data-rows"), 10) || 10;
    var rows = Array.prototype.slice.call(wrapper.querySelectorAll("tbody tr"));
    var search = wrapper.querySelector("input[type=search]");
    var pager = wrapper.querySelector(".pager");
    if (!pager) { return; }
    var previous = document.createElement("button");
    var next = document.createElement("button");
    var info = document.createElement("span");
    previous.type = next.type = "button";
    previous.textContent = "‹ Previous";
    next.textContent = "Next ›";
    pager.append(previous, info, next);
    var page = 0;
    var matching = rows;

    function show() {
      var pages = Math.max(1, Math.ceil(matching.length / size));
      page = Math.min(page, pages - 1);
      rows.forEach(function (row) { row.hidden = true; });
      matching.slice(page * size, (page + 1) * size).forEach(function (row) { row.hidden = false; });
      info.textContent = matching.length ? "Page " + (page + 1) + " of " + pages + " · " + matching.length + " rows"
        : "No matching rows";
      previous.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }

    previous.addEventListener("click", function () { page -= 1; show(); });
    next.addEventListener("click", function () { page += 1; show(); });
    if (search) {
      search.addEventListener("input", function () {
        var needle = search.value.trim().toLowerCase();
        matching = rows.filter(function (row) { return row.textContent.toLowerCase().indexOf(needle) >= 0; });
        page = 0;
        show();
      });
    }
    show();
  }

  Array.prototype.forEach.call(document.querySelectorAll("div.table[data-rows]"), pageTable);
  var charts = Array.prototype.map.call(document.querySelectorAll("div.chart[data-spec]"), drawChart);
  Promise.all(charts).then(function () { document.documentElement.setAttribute("data-charts-drawn", "true"); });
})();
