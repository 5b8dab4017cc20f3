/* Kiosk behaviour: idle warning and wipe, focus after htmx steps, print once. No personal data here. */
(function () {
  "use strict";
  var body = document.body;
  var warnAfter = parseInt(body.dataset.idleWarn || "60", 10) * 1000;
  var wipeAfter = parseInt(body.dataset.idleWipe || "90", 10) * 1000;
  var dialog = document.getElementById("idle-dialog");
  var secondsEl = document.getElementById("idle-seconds");
  var lastActivity = Date.now();

  function visitActive() {
    return !!document.querySelector("[data-screen]:not([data-screen='page'])") ||
      !!document.querySelector(".screen-receipt");
  }

  function wipe() {
    var form = document.getElementById("wipe-form");
    if (form) { form.submit(); }
  }

  function activity() {
    lastActivity = Date.now();
    if (dialog && dialog.open) { dialog.close(); }
  }

  ["pointerdown", "keydown", "input", "touchstart", "scroll"].forEach(function (type) {
    document.addEventListener(type, activity, { passive: true, capture: true });
  });
  if (dialog) {
    document.getElementById("idle-stay").addEventListener("click", activity);
  }

  setInterval(function () {
    if (!visitActive()) { return; }
    var idle = Date.now() - lastActivity;
    if (idle >= wipeAfter) { wipe(); return; }
    if (idle >= warnAfter && dialog) {
      if (!dialog.open) { dialog.showModal(); }
      secondsEl.textContent = Math.ceil((wipeAfter - idle) / 1000);
    }
  }, 500);

  function afterSwap(root) {
    var receipt = root.querySelector("[data-autoprint]");
    if (receipt) { receipt.removeAttribute("data-autoprint"); setTimeout(function () { window.print(); }, 300); }
    var summary = root.querySelector("#error-summary");
    var heading = root.querySelector("h1");
    (summary || heading || root).setAttribute("tabindex", "-1");
    (summary || heading || root).focus({ preventScroll: false });
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-print]");
    if (target) { window.print(); }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "screen") {
      afterSwap(document.getElementById("screen"));
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var receipt = document.querySelector("[data-autoprint]");
    if (receipt) { receipt.removeAttribute("data-autoprint"); setTimeout(function () { window.print(); }, 300); }
  });
})();
