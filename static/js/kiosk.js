/* Kiosk behaviour: idle warning and wipe, focus after htmx steps, print once, the on-screen number keypad,
   read-aloud. No personal data is kept here. */
(function () {
  "use strict";
  var body = document.body;
  var warnAfter = parseInt(body.dataset.idleWarn || "60", 10) * 1000;
  var wipeAfter = parseInt(body.dataset.idleWipe || "90", 10) * 1000;
  var dialog = document.getElementById("idle-dialog");
  var secondsEl = document.getElementById("idle-seconds");
  var lastActivity = Date.now();
  var READ_ALOUD_KEY = "kj-read-aloud";

  function visitActive() {
    return !!document.querySelector("[data-screen]:not([data-screen='page'])") ||
      !!document.querySelector(".screen-receipt");
  }

  function forgetPreferences() {
    try { sessionStorage.removeItem(READ_ALOUD_KEY); } catch (e) { /* storage off: nothing kept */ }
  }

  function wipe() {
    var form = document.getElementById("wipe-form");
    forgetPreferences();
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

  /* Number keypad for input[data-keypad]: opens when the field is touched, or focused at all on an
     enrolled kiosk (body[data-kiosk]). Replaces the system keyboard (inputmode=none) while open and fires
     "input" like typing does (the live NIK check runs). Mouse and keyboard users see no change. */
  var keypad = document.getElementById("keypad");
  var kioskMode = body.dataset.kiosk === "1";
  var lastPointer = "";
  var target = null;

  function isKeypadField(el) {
    return !!(el && el.matches && el.matches("input[data-keypad]"));
  }

  function openKeypad(field) {
    if (!keypad) { return; }
    if (!field.dataset.inputmode) { field.dataset.inputmode = field.getAttribute("inputmode") || ""; }
    field.setAttribute("inputmode", "none");
    target = field;
    keypad.hidden = false;
    body.classList.add("keypad-open");
    field.scrollIntoView({ block: "start" });  // the keypad covers the bottom
  }

  function closeKeypad() {
    if (!keypad || keypad.hidden) { return; }
    keypad.hidden = true;
    body.classList.remove("keypad-open");
    if (target && target.dataset.inputmode !== undefined) {
      if (target.dataset.inputmode) { target.setAttribute("inputmode", target.dataset.inputmode); }
      else { target.removeAttribute("inputmode"); }
    }
    target = null;
  }

  function press(key) {
    if (!target || !document.body.contains(target)) { closeKeypad(); return; }
    var field = target;
    if (key === "done") {
      field.dispatchEvent(new Event("change", { bubbles: true }));
      closeKeypad();
      field.blur();
      return;
    }
    var value = field.value;
    if (key === "back") { value = value.slice(0, -1); }
    else if (key === "clear") { value = ""; }
    else if (field.maxLength < 0 || value.length < field.maxLength) { value += key; }
    if (value !== field.value) {
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    field.focus({ preventScroll: true });
  }

  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
    // Before the focus: no system keyboard for a touched number field.
    if (event.pointerType === "touch" && isKeypadField(event.target)) {
      if (!event.target.dataset.inputmode) {
        event.target.dataset.inputmode = event.target.getAttribute("inputmode") || "";
      }
      event.target.setAttribute("inputmode", "none");
    }
  }, { capture: true, passive: true });

  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (keypad && keypad.contains(el)) { return; }
    if (isKeypadField(el) && (kioskMode || lastPointer === "touch")) { openKeypad(el); }
    else { closeKeypad(); }
  });

  if (keypad) {
    // Keys never take the focus from the field.
    keypad.addEventListener("pointerdown", function (event) {
      if (event.target.closest("button")) { event.preventDefault(); }
    });
    keypad.addEventListener("mousedown", function (event) { event.preventDefault(); });
    keypad.addEventListener("click", function (event) {
      var key = event.target.closest("[data-key]");
      if (key) { press(key.dataset.key); }
    });
  }

  /* Read aloud: the top-bar toggle reads each screen's heading and lead, offered only when the browser
     has a voice for the page's language (id-ID for Bahasa Indonesia). */
  var speakButton = document.getElementById("speak-toggle");
  var synth = window.speechSynthesis;
  var voice = null;

  function findVoice() {
    if (!synth || !speakButton || typeof synth.getVoices !== "function") { return null; }
    var want = (speakButton.dataset.voiceLang || "id-ID").toLowerCase();
    var base = want.split("-")[0];
    var voices = synth.getVoices() || [];
    var exact = null, near = null;
    for (var i = 0; i < voices.length; i++) {
      var lang = String(voices[i].lang || "").toLowerCase().replace("_", "-");
      if (lang === want && !exact) { exact = voices[i]; }
      if (lang.split("-")[0] === base && !near) { near = voices[i]; }
    }
    return exact || near;
  }

  function readAloudOn() {
    return speakButton && speakButton.getAttribute("aria-pressed") === "true";
  }

  function speakScreen() {
    if (!voice || !readAloudOn()) { return; }
    var screen = document.getElementById("screen");
    if (!screen) { return; }
    var parts = [];
    var heading = screen.querySelector("h1");
    var lead = screen.querySelector(".lead");
    if (heading) { parts.push(heading.textContent.trim()); }
    if (lead) { parts.push(lead.textContent.trim()); }
    if (!parts.length) { return; }
    var utterance = new window.SpeechSynthesisUtterance(parts.join(". "));
    utterance.lang = voice.lang;
    try { utterance.voice = voice; } catch (e) { /* the lang alone picks a voice */ }
    utterance.rate = 0.9;
    synth.cancel();
    synth.speak(utterance);
  }

  function setReadAloud(on) {
    speakButton.setAttribute("aria-pressed", on ? "true" : "false");
    try {
      if (on) { sessionStorage.setItem(READ_ALOUD_KEY, "1"); } else { sessionStorage.removeItem(READ_ALOUD_KEY); }
    } catch (e) { /* storage off: the toggle lasts until the next page load */ }
    if (on) { speakScreen(); } else if (synth) { synth.cancel(); }
  }

  function offerReadAloud() {
    if (voice || !speakButton) { return; }
    voice = findVoice();
    if (!voice) { return; }
    speakButton.hidden = false;
    var stored = null;
    try { stored = sessionStorage.getItem(READ_ALOUD_KEY); } catch (e) { stored = null; }
    if (stored === "1") { speakButton.setAttribute("aria-pressed", "true"); speakScreen(); }
  }

  if (speakButton && synth) {
    speakButton.addEventListener("click", function () { setReadAloud(!readAloudOn()); });
    offerReadAloud();
    // Voices may be listed after load.
    if (typeof synth.addEventListener === "function") { synth.addEventListener("voiceschanged", offerReadAloud); }
  }

  function afterSwap(root) {
    var receipt = root.querySelector("[data-autoprint]");
    if (receipt) { receipt.removeAttribute("data-autoprint"); setTimeout(function () { window.print(); }, 300); }
    var summary = root.querySelector("#error-summary");
    var heading = root.querySelector("h1");
    (summary || heading || root).setAttribute("tabindex", "-1");
    (summary || heading || root).focus({ preventScroll: false });
    speakScreen();
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
    if (event.target.closest("[data-forget]")) { forgetPreferences(); }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "screen") { closeKeypad(); }
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
