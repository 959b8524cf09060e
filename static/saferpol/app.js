// Keyboard shortcuts and selection for the queue. Everything here is an enhancement: every
// action is also a plain form button that works without JavaScript.
(function () {
  "use strict";

  function rows() { return Array.from(document.querySelectorAll("#queue-table tbody tr[data-code]")); }
  function current() { return document.querySelector("#queue-table tbody tr.current"); }

  function setCurrent(row) {
    rows().forEach(function (r) { r.classList.remove("current"); });
    if (row) { row.classList.add("current"); row.focus({ preventScroll: false }); }
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var index = all.indexOf(current());
    var next = index < 0 ? 0 : Math.min(all.length - 1, Math.max(0, index + step));
    setCurrent(all[next]);
  }

  function updateCount() {
    var counter = document.querySelector("[data-bulk-count]");
    if (!counter) return;
    var n = document.querySelectorAll("input[name=items]:checked").length;
    counter.textContent = n ? "Selected: " + n : "Selected: none";
  }

  function press(key) {
    // On the item page the decision buttons live in the decision panel; in the queue, the bulk bar.
    var button = document.querySelector("#decision-panel button[data-key='" + key + "']:not([disabled])") ||
                 document.querySelector(".bulk-bar button[data-key='" + key + "']");
    if (!button) return;
    if (button.closest(".bulk-bar") && !document.querySelector("input[name=items]:checked")) {
      var row = current();
      var box = row && row.querySelector("input[name=items]");
      if (!box) return;
      box.checked = true;
    }
    button.click();
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var key = event.key;
    if (key === "?") { var help = document.getElementById("shortcuts"); if (help && help.showModal) help.showModal(); event.preventDefault(); return; }
    if (key === "j") { move(1); event.preventDefault(); return; }
    if (key === "k") { move(-1); event.preventDefault(); return; }
    if (key === "x") {
      var row = current(); var box = row && row.querySelector("input[name=items]");
      if (box) { box.checked = !box.checked; updateCount(); }
      event.preventDefault(); return;
    }
    if (key === "o" || (key === "Enter" && target && target.tagName === "TR")) {
      var link = current() && current().querySelector("a.item-link");
      if (link) { link.click(); event.preventDefault(); }
      return;
    }
    if (key === "n") {
      var next = document.querySelector("[data-key-target=next]");
      if (next) { next.click(); event.preventDefault(); }
      return;
    }
    if (key === "q" || key === "g") {
      var back = document.querySelector("[data-key-target=queue]");
      if (back) { back.click(); event.preventDefault(); }
      return;
    }
    if ("hmbrde".indexOf(key) >= 0 && key.length === 1) { press(key); event.preventDefault(); }
  });

  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "items") updateCount();
  });
  document.addEventListener("click", function (event) {
    var row = event.target && event.target.closest && event.target.closest("#queue-table tbody tr[data-code]");
    if (row) setCurrent(row);
  });
  document.addEventListener("htmx:afterSwap", updateCount);
})();
