// Small enhancements of the server-rendered pages (no library, no network):
// tables with class "sortable" sort by a column when its title (a button) is activated, by mouse or keyboard.
(function () {
  "use strict";
  function key(td) {
    var t = (td ? td.textContent : "").trim();
    var n = Number(t);
    return t !== "" && !isNaN(n) ? [0, n, ""] : [1, 0, t.toLowerCase()];
  }
  function cmp(a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var ths = table.tHead ? table.tHead.rows[0].cells : [];
    var body0 = table.tBodies[0];
    Array.prototype.forEach.call(ths, function (th, col) {  // numeric columns are right-aligned
      var cells = body0 ? Array.prototype.map.call(body0.rows, function (r) { return r.cells[col]; }) : [];
      var filled = cells.filter(function (c) { return c && c.textContent.trim() !== ""; });
      if (filled.length && filled.every(function (c) { return key(c)[0] === 0; })) {
        th.classList.add("num");
        cells.forEach(function (c) { if (c) c.classList.add("num"); });
      }
    });
    Array.prototype.forEach.call(ths, function (th, col) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sort";
      b.textContent = th.textContent;
      b.setAttribute("aria-label", "sort by " + th.textContent);
      th.textContent = "";
      th.appendChild(b);
      b.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(ths, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) { var c = cmp(key(r1.cells[col]), key(r2.cells[col])); return asc ? c : -c; });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  if (!document.getElementById("hg-examples")) window.hgReady = true;
})();
