/* The readiness report's only script: sortable and filterable tables, tenant cards, the checklist's record
   (kept in this browser's localStorage, exported and imported as a JSON file), and opening every card
   before printing. It reads data only from the page's own attributes, text and files the person picks, and
   makes no request. */
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

  /* -- the human checklist: a record of who did what ------------------------------------------------
     State per item: {done, by, at, note}. It starts from the record the report was rendered with
     (`report --checklist FILE`: the items' data-* attributes), then this browser's own (newer wins). Export
     writes it as a JSON file (read back by `report --checklist`); import merges a teammate's file. */
  var storage = store();
  var boxes = all("input[data-check]");
  var KIND = "pinpoint-migrate-checklist";
  var reportKey = doc.body.getAttribute("data-report-key") || "";
  var whoInput = doc.getElementById("checklist-who");
  var status = doc.getElementById("checklist-status");
  var state = {};

  function load(name, fallback) {
    if (!storage) { return fallback; }
    try { return JSON.parse(storage.getItem(prefix + name) || "null") || fallback; } catch (err) { return fallback; }
  }
  function save() {
    if (storage) { storage.setItem(prefix + "record", JSON.stringify(state)); }
  }
  function newer(a, b) { return !b || String(a.at || "") >= String(b.at || ""); }
  function nowIso() { return new Date().toISOString().slice(0, 19) + "Z"; }

  boxes.forEach(function (box) {
    var li = box.closest("li");
    if (li.hasAttribute("data-done")) {
      state[box.getAttribute("data-check")] = {
        done: li.getAttribute("data-done") === "true", by: li.getAttribute("data-by") || "",
        at: li.getAttribute("data-at") || "", note: li.getAttribute("data-note") || ""
      };
    }
  });
  var local = load("record", {});
  Object.keys(local).forEach(function (id) { if (newer(local[id], state[id])) { state[id] = local[id]; } });
  boxes.forEach(function (box) {  /* ticks kept by earlier versions of this page: done, no name */
    var id = box.getAttribute("data-check");
    if (!state[id] && storage && storage.getItem(prefix + id) === "1") { state[id] = {done: true, by: "", at: "", note: ""}; }
  });
  if (whoInput) {
    whoInput.value = load("who", "");
    whoInput.addEventListener("change", function () {
      if (storage) { storage.setItem(prefix + "who", JSON.stringify(whoInput.value)); }
    });
  }

  function noteOf(id) { return all("input[data-note]").filter(function (n) { return n.getAttribute("data-note") === id; })[0]; }
  function whoOf(id) { return all("[data-who-for]").filter(function (n) { return n.getAttribute("data-who-for") === id; })[0]; }

  function show(box) {
    var id = box.getAttribute("data-check");
    var entry = state[id];
    box.checked = Boolean(entry && entry.done);
    box.closest("li").classList.toggle("done", box.checked);
    var note = noteOf(id);
    if (note) { note.value = entry ? entry.note || "" : ""; }
    var who = whoOf(id);
    if (who) {
      who.textContent = entry ? [entry.done ? "done" : "open", entry.by, entry.at].filter(Boolean).join(" · ") : "";
    }
  }

  function countDone() {
    all("[data-progress]").forEach(function (output) {
      var scope = doc.getElementById(output.getAttribute("data-progress"));
      var mine = all("input[data-check]", scope);
      var done = mine.filter(function (box) { return box.checked; }).length;
      output.textContent = done + " of " + mine.length + " done";
    });
  }

  function record(id, done, note) {
    state[id] = {done: done, by: whoInput ? whoInput.value.trim() : "", at: nowIso(), note: note};
    save();
  }

  boxes.forEach(function (box) {
    var id = box.getAttribute("data-check");
    show(box);
    box.addEventListener("change", function () {
      var note = noteOf(id);
      record(id, box.checked, note ? note.value : "");
      show(box);
      countDone();
    });
    var note = noteOf(id);
    if (note) {
      note.addEventListener("change", function () { record(id, box.checked, note.value); show(box); });
    }
  });
  countDone();

  function exported() {
    var ids = Object.keys(state).sort();
    return {
      kind: KIND, version: 1, report_key: reportKey,
      plan_id: doc.body.getAttribute("data-plan-id") || "",
      exported_at: nowIso(), exported_by: whoInput ? whoInput.value.trim() : "",
      items: ids.map(function (id) {
        var e = state[id];
        return {id: id, done: Boolean(e.done), by: e.by || "", at: e.at || "", note: e.note || ""};
      })
    };
  }

  var exportButton = doc.getElementById("checklist-export");
  if (exportButton) {
    exportButton.addEventListener("click", function () {
      var text = JSON.stringify(exported(), null, 1) + "\n";
      var link = doc.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], {type: "application/json"}));
      link.download = "checklist-" + reportKey + ".json";
      doc.body.appendChild(link);
      link.click();
      link.remove();
      status.textContent = "exported " + Object.keys(state).length + " item(s) as " + link.download;
    });
  }

  function validItem(e) {
    return e && typeof e.id === "string" && e.id && typeof e.done === "boolean" &&
      typeof (e.by || "") === "string" && typeof (e.at || "") === "string" && typeof (e.note || "") === "string";
  }

  var importInput = doc.getElementById("checklist-import");
  if (importInput) {
    importInput.addEventListener("change", function () {
      var file = importInput.files && importInput.files[0];
      if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () {
        var data = null;
        try { data = JSON.parse(String(reader.result)); } catch (err) { data = null; }
        if (!data || data.kind !== KIND || data.version !== 1 || !Array.isArray(data.items)) {
          status.textContent = file.name + ": not a checklist record of pinpoint-migrate (nothing imported)";
          return;
        }
        if (data.report_key !== reportKey) {
          status.textContent = file.name + ": the record of another report (other accounts): nothing imported";
          return;
        }
        if (!data.items.every(validItem)) {
          status.textContent = file.name + ": an item lacks id, done, by, at or note: nothing imported";
          return;
        }
        var known = {};
        boxes.forEach(function (box) { known[box.getAttribute("data-check")] = box; });
        var taken = 0;
        var unknown = 0;
        data.items.forEach(function (e) {
          if (!known[e.id]) { unknown += 1; return; }
          if (newer(e, state[e.id])) {
            state[e.id] = {done: e.done, by: e.by || "", at: e.at || "", note: e.note || ""};
            taken += 1;
          }
        });
        save();
        boxes.forEach(show);
        countDone();
        status.textContent = "imported " + taken + " item(s) from " + file.name +
          (unknown ? "; " + unknown + " not in this report" : "");
      };
      reader.readAsText(file);
    });
  }

  /* -- printing: every tenant card open and every row shown on paper, as it was on screen afterwards - */
  var closed = [];
  var collapsed = [];
  window.addEventListener("beforeprint", function () {
    closed = all("details.tenant:not([open])");  /* runbooks and mappings stay as they are: paper is short */
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
