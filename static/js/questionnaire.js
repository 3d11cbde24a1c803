/* Questionnaire autosave (htmx): status per question, retry when a save fails, live progress.
 *
 * Each question's fieldset posts to the autosave URL on every change (see _question.html). This file
 * only handles what htmx leaves to us, without inline scripts (the portal's CSP forbids them):
 *  - shows "Saving…" while a request runs;
 *  - a refusal (400, 403, 409) shows the server's message and is not retried; a 404 shows a fixed one;
 *  - a network failure or a server error shows "Not saved — retrying…" and retries, waiting a
 *    little longer each time (2 s, 4 s … up to 30 s), until the save goes through;
 *  - the progress counters follow the answers given on the page.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.questionnaire");
  if (!form) {
    return;
  }
  var text = {
    saving: form.dataset.savingText,
    retrying: form.dataset.retryingText,
    refused: form.dataset.refusedText,
  };
  var retries = new WeakMap();
  var pending = new Set();

  function fieldsetOf(element) {
    return element && element.closest ? element.closest("fieldset.question") : null;
  }

  function statusOf(fieldset) {
    return fieldset ? document.getElementById("q" + fieldset.dataset.question + "-status") : null;
  }

  function show(fieldset, message, isError) {
    var status = statusOf(fieldset);
    if (!status) {
      return;
    }
    status.textContent = message;
    status.classList.toggle("text-danger", Boolean(isError));
    status.classList.toggle("fw-semibold", Boolean(isError));
  }

  function scheduleRetry(fieldset) {
    var attempt = (retries.get(fieldset) || 0) + 1;
    retries.set(fieldset, attempt);
    pending.add(fieldset);
    show(fieldset, text.retrying, true);
    var delay = Math.min(30000, 1000 * Math.pow(2, attempt));
    window.setTimeout(function () {
      if (pending.has(fieldset)) {
        htmx.trigger(fieldset, "retry-save");
      }
    }, delay);
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var fieldset = fieldsetOf(event.detail.elt);
    if (fieldset && !pending.has(fieldset)) {
      show(fieldset, text.saving, false);
    }
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var fieldset = fieldsetOf(event.detail.requestConfig && event.detail.requestConfig.elt);
    if (!fieldset) {
      return;
    }
    var status = event.detail.xhr.status;
    if (status === 400 || status === 403 || status === 409) {
      // The server's message says why; retrying would not help.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      pending.delete(fieldset);
      retries.delete(fieldset);
    } else if (status === 404) {
      event.detail.shouldSwap = false;
      pending.delete(fieldset);
      show(fieldset, text.refused, true);
    } else if (status >= 500) {
      event.detail.shouldSwap = false;
      scheduleRetry(fieldset);
    } else if (status >= 200 && status < 300) {
      pending.delete(fieldset);
      retries.delete(fieldset);
      var statusElement = statusOf(fieldset);
      if (statusElement) {
        statusElement.classList.remove("text-danger", "fw-semibold");
      }
    }
  });

  document.body.addEventListener("htmx:sendError", function (event) {
    var fieldset = fieldsetOf(event.detail.elt);
    if (fieldset) {
      scheduleRetry(fieldset);
    }
  });

  document.body.addEventListener("htmx:timeout", function (event) {
    var fieldset = fieldsetOf(event.detail.elt);
    if (fieldset) {
      scheduleRetry(fieldset);
    }
  });

  // Leaving the page while a save is still failing would lose it: ask first.
  window.addEventListener("beforeunload", function (event) {
    if (pending.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Live progress: a question counts once a level or "not applicable" is chosen.
  var overallInitial = parseInt(form.dataset.overallInitial || "0", 10);
  var axisInitial = parseInt(form.dataset.axisInitial || "0", 10);

  function refreshProgress() {
    var answered = form.querySelectorAll("fieldset.question input[type=radio]:checked").length;
    var overall = overallInitial - axisInitial + answered;
    document.querySelectorAll(".js-axis-answered").forEach(function (element) {
      element.textContent = String(answered);
    });
    document.querySelectorAll(".js-overall-answered").forEach(function (element) {
      element.textContent = String(overall);
    });
    document.querySelectorAll(".js-overall-bar").forEach(function (element) {
      element.value = overall;
    });
  }

  form.addEventListener("change", refreshProgress);
})();
