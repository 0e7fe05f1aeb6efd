// tqscore HTML report: sorting and filtering of the tables, nothing else (the
// page is complete without it). No network, no storage.
(function () {
  "use strict";
  var controls = document.getElementById("controls");
  var value = function (row, key) {
    var v = row.getAttribute("data-" + key);
    return v === null || v === "" ? NaN : parseFloat(v);
  };
  var rowsOf = function (table) { return Array.prototype.slice.call(table.tBodies[0].rows); };
  function sortTable(table, key, dir) {
    var rows = rowsOf(table);
    rows.sort(function (a, b) {
      var x = value(a, key), y = value(b, key);
      if (isNaN(x) || isNaN(y)) {
        if (isNaN(x) && isNaN(y)) return value(a, "order") - value(b, "order");
        return isNaN(x) ? 1 : -1;
      }
      return dir * (x - y) || value(a, "order") - value(b, "order");
    });
    var body = table.tBodies[0];
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (th) {
      var on = th.getAttribute("data-sort") === key && key !== "order";
      th.setAttribute("aria-sort", on ? (dir > 0 ? "ascending" : "descending") : "none");
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable th[data-sort]"), function (th) {
    var button = document.createElement("button");
    button.type = "button";
    button.title = "Sort by " + th.textContent;
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    button.addEventListener("click", function () {
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      sortTable(th.closest("table"), th.getAttribute("data-sort"), dir);
    });
  });
  if (!controls) return;
  controls.hidden = false;
  var tables = Array.prototype.slice.call(document.querySelectorAll("table.pairs"));
  var filters = Array.prototype.slice.call(controls.querySelectorAll("input[data-filter]"));
  var shown = document.getElementById("shown");
  function applyFilters() {
    var on = {};
    filters.forEach(function (f) { on[f.getAttribute("data-filter")] = f.checked; });
    var total = 0, visible = 0;
    tables.forEach(function (table) {
      rowsOf(table).forEach(function (row) {
        var pair = row.hasAttribute("data-pair");
        var hide = (!pair && (on.out || on.low || on.names)) ||
          (pair && on.low && row.getAttribute("data-low") !== "1") ||
          (pair && on.names && !(value(row, "names") > 0));
        row.hidden = hide;
        if (pair) { total += 1; if (!hide) visible += 1; }
      });
    });
    shown.textContent = visible + " of " + total + " pairs shown";
  }
  filters.forEach(function (f) { f.addEventListener("change", applyFilters); });
  controls.querySelector("[data-action=weakest]").addEventListener("click", function () {
    tables.forEach(function (t) { sortTable(t, "bleu", 1); });
  });
  controls.querySelector("[data-action=order]").addEventListener("click", function () {
    tables.forEach(function (t) { sortTable(t, "order", 1); });
  });
  applyFilters();
})();
