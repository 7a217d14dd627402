// The case page: irreversible steps (accept, admit, discharge, decide...) ask first in a
// dialog. Without script the form shows a required "I confirm" box instead; the server
// refuses the step unless it was confirmed either way.
(function () {
  "use strict";
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var text = dialog.querySelector("[data-confirm-text]");
  var yes = dialog.querySelector("[data-confirm-yes]");
  var pending = null;

  function ask(form) {
    pending = form;
    text.textContent = form.getAttribute("data-confirm");
    yes.textContent = form.getAttribute("data-confirm-yes") || yes.getAttribute("data-default");
    dialog.returnValue = "";
    dialog.showModal();
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    var box = form.querySelector("[data-confirm-box]");
    var check = form.querySelector("[data-confirm-check]");
    if (box) {
      box.hidden = true;
    }
    if (check) {
      check.required = false;
      check.checked = false;
    }
    form.addEventListener("submit", function (event) {
      if (check && check.checked) {
        return; // confirmed in the dialog: this is the real submission
      }
      event.preventDefault();
      ask(form);
    });
  });

  dialog.addEventListener("close", function () {
    var form = pending;
    pending = null;
    if (!form || dialog.returnValue !== "yes") {
      return; // refused: nothing is sent
    }
    var check = form.querySelector("[data-confirm-check]");
    if (check) {
      check.checked = true;
    }
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });
})();
