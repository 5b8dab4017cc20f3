/* Business flow: refuse an oversized worker-list file before it is sent (the server refuses it too,
   with the same message). Delegated, so it keeps working after htmx swaps the step. */
(function () {
  "use strict";

  function tooLarge(input) {
    var max = parseInt(input.dataset.maxBytes || "0", 10);
    return !!(max && input.files && input.files.length && input.files[0].size > max);
  }

  function show(input, on) {
    var message = document.getElementById("file-too-large");
    if (message) { message.hidden = !on; }
    var field = input.closest(".field");
    if (field) { field.classList.toggle("has-error", on); }
    if (on) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) { return; }
    var refuse = tooLarge(input);
    show(input, refuse);
    if (refuse) { input.value = ""; }
  });

  document.addEventListener("submit", function (event) {
    var input = event.target.querySelector && event.target.querySelector("input[type=file][data-max-bytes]");
    if (input && tooLarge(input)) {
      event.preventDefault();
      event.stopPropagation();
      show(input, true);
    }
  }, true);
})();
