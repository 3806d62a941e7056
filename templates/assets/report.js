/* The readiness report's only script: sortable and filterable tables, tenant cards, the checklist's ticks
   (kept in this browser's localStorage), and opening every card before printing. It reads data only from
   the page's own attributes and text, and makes no request. */
(function () {
  "use strict";
  var doc = document;
  var slice = Array.prototype.slice;
  var prefix = "pinpoint-migrate:" + (doc.body.getAttribute("data-report-key") || "report") + ":";

  function all(selector, root) { return slice.call((root || doc).querySelectorAll(selector)); }

  function store() {
    try {
      var s = window.localStorage;
      s.getItem(prefix);
      return s;
    } catch (err) {
      return null; /* storage refused (privacy settings): ticks then last for this visit only */
    }
  }

  /* -- sorting ------------------------------------------------------------------------------------ */
  function cellKey(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell ? cell.getAttribute("data-sort") : "";
    if (raw === null) { raw = cell.textContent.trim(); }
    if (numeric) {
      var n = parseFloat(String(raw).replace(/,/g, ""));
      return isNaN(n) ? -Infinity : n;
    }
    return String(raw).toLowerCase();
  }

  function sortBy(th) {
    var table = th.closest("table");
    var index = slice.call(th.parentNode.children).indexOf(th);
    var numeric = th.getAttribute("data-type") === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    all("th[aria-sort]", table).forEach(function (other) { other.setAttribute("aria-sort", "none"); });
    var body = table.tBodies[0];
    var keyed = slice.call(body.rows).map(function (row, i) { return [cellKey(row, index, numeric), i, row]; });
    keyed.sort(function (a, b) {
      if (a[0] < b[0]) { return ascending ? -1 : 1; }
      if (a[0] > b[0]) { return ascending ? 1 : -1; }
      return a[1] - b[1];
    });
    var fragment = doc.createDocumentFragment();
    keyed.forEach(function (item) { fragment.appendChild(item[2]); });
    body.appendChild(fragment);
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    filterItems(table.id);
  }

  all("th[aria-sort] button.sort").forEach(function (button) {
    button.addEventListener("click", function () { sortBy(button.parentNode); });
  });

  /* -- filtering ---------------------------------------------------------------------------------- */
  var texts = new WeakMap();
  function textOf(element) {
    var text = texts.get(element);
    if (text === undefined) {
      text = (element.getAttribute("data-search") || element.textContent).toLowerCase();
      texts.set(element, text);
    }
    return text;
  }

  /* A long table shows its first `data-page` matching rows until "Show all" is pressed: laying out
     thousands of rows at once is what makes a big page freeze. Sorting and filtering see every row. */
  function filterItems(targetId) {
    var target = doc.getElementById(targetId);
    if (!target) { return; }
    var controls = all("[data-filter-for]").filter(function (c) { return c.getAttribute("data-filter-for") === targetId; });
    var items = target.tBodies ? slice.call(target.tBodies[0].rows) : all(":scope > [data-item]", target);
    var limit = parseInt(target.getAttribute("data-page") || "0", 10);
    if (target.getAttribute("data-expanded") === "true") { limit = 0; }
    var matching = 0;
    items.forEach(function (item) {
      var visible = controls.every(function (control) {
        var wanted = control.value.trim().toLowerCase();
        if (!wanted) { return true; }
        var attribute = control.getAttribute("data-filter-attr");
        if (attribute) { return (item.getAttribute(attribute) || "").toLowerCase() === wanted; }
        return textOf(item).indexOf(wanted) !== -1;
      });
      if (visible) { matching += 1; }
      var hide = !visible || (limit > 0 && matching > limit);
      if (item.hidden !== hide) { item.hidden = hide; }
    });
    var shown = limit > 0 ? Math.min(matching, limit) : matching;
    var text = shown + " of " + items.length + " shown";
    if (shown < matching && matching === items.length) {
      text = "first " + shown + " of " + items.length + " shown";
    } else if (shown < matching) {
      text = "first " + shown + " of " + matching + " matching shown (" + items.length + " in all)";
    }
    all("[data-count-for]").forEach(function (output) {
      if (output.getAttribute("data-count-for") === targetId) { output.textContent = text; }
    });
    all("[data-more-for]").forEach(function (button) {
      if (button.getAttribute("data-more-for") === targetId) { button.hidden = shown >= matching; }
    });
  }

  function refreshAll() {
    all("[data-filterable]").forEach(function (target) { filterItems(target.id); });
  }

  all("[data-more-for]").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = doc.getElementById(button.getAttribute("data-more-for"));
      target.setAttribute("data-expanded", "true");
      filterItems(target.id);
    });
  });

  all("[data-filter-for]").forEach(function (control) {
    var run = function () { filterItems(control.getAttribute("data-filter-for")); };
    control.addEventListener(control.tagName === "SELECT" ? "change" : "input", run);
  });
  refreshAll();

  /* -- tenant cards ------------------------------------------------------------------------------- */
  all("button[data-open]").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("data-open") === "all";
      all("details", doc.getElementById(button.getAttribute("data-target"))).forEach(function (d) {
        if (!d.parentNode.hidden && !d.hidden) { d.open = open; }
      });
    });
  });

  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? doc.getElementById(id) : null;
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  /* -- the human checklist ------------------------------------------------------------------------ */
  var storage = store();
  var boxes = all("input[data-check]");

  function countDone() {
    all("[data-progress]").forEach(function (output) {
      var scope = doc.getElementById(output.getAttribute("data-progress"));
      var mine = all("input[data-check]", scope);
      var done = mine.filter(function (box) { return box.checked; }).length;
      output.textContent = done + " of " + mine.length + " done";
    });
  }

  boxes.forEach(function (box) {
    var key = prefix + box.getAttribute("data-check");
    if (storage && storage.getItem(key) === "1") { box.checked = true; }
    box.closest("li").classList.toggle("done", box.checked);
    box.addEventListener("change", function () {
      box.closest("li").classList.toggle("done", box.checked);
      if (storage) {
        if (box.checked) { storage.setItem(key, "1"); } else { storage.removeItem(key); }
      }
      countDone();
    });
  });
  countDone();

  /* -- printing: every card open and every row shown on paper, as it was on screen afterwards -------- */
  var closed = [];
  var collapsed = [];
  window.addEventListener("beforeprint", function () {
    closed = all("details:not([open])");
    closed.forEach(function (d) { d.open = true; });
    collapsed = all("[data-page]:not([data-expanded=true])");
    collapsed.forEach(function (t) { t.setAttribute("data-expanded", "true"); filterItems(t.id); });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    collapsed.forEach(function (t) { t.removeAttribute("data-expanded"); filterItems(t.id); });
    closed = [];
    collapsed = [];
  });

  doc.body.classList.add("js");
})();
