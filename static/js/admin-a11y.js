// Accessible names the Django admin's own widgets leave out (axe-core, WCAG 4.1.2 and
// 1.3.1). Django draws these widgets on DOMContentLoaded or "load"; the script is
// deferred at the end of the page, so its callbacks are added after Django's.
(function () {
  "use strict";

  function labelText(element) {
    return element ? element.textContent.replace(/[:\s]+$/, "").trim() : "";
  }

  // The visible label of a form row: Django's <label>, or the fieldset's legend for
  // widgets made of several inputs.
  function rowLabel(input) {
    const row = input.closest(".form-row, .fieldBox");
    if (!row) {
      return "";
    }
    return labelText(row.querySelector("label.required, label, legend"));
  }

  // SelectFilter (filter_horizontal) labels its search icon with aria-label on a bare
  // <span>, which ARIA does not allow; as an image its label is valid.
  function selectFilterIcons() {
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // Select2 (autocomplete_fields) points aria-labelledby at its own text, which is
  // empty while nothing is chosen; point it at the field's label as well.
  function autocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = document.querySelector('label[for="' + select.id + '"]');
      const container = select.nextElementSibling;
      if (!label || !container || !container.classList.contains("select2")) {
        return;
      }
      if (!label.id) {
        label.id = select.id + "_label";
      }
      container.querySelectorAll(".select2-selection, .select2-selection__rendered")
        .forEach(function (part) {
          const own = part.getAttribute("aria-labelledby");
          if (!own || own.indexOf(label.id) === -1) {
            part.setAttribute("aria-labelledby", label.id + (own ? " " + own : ""));
          }
        });
    });
  }

  // A date-and-time field has one label for two inputs; each input gets the field's
  // label with the word Django writes before it ("Datum", "Tijd").
  function dateTimeInputs() {
    document.querySelectorAll("p.datetime input").forEach(function (input) {
      if (input.labels.length || input.getAttribute("aria-label")) {
        return;
      }
      let before = input.previousSibling;
      while (before && before.nodeType !== Node.TEXT_NODE) {
        before = before.previousSibling;
      }
      const part = before ? labelText(before) : "";
      const field = rowLabel(input);
      input.setAttribute("aria-label", [field, part].filter(Boolean).join(" – "));
    });
  }

  function nameEverything() {
    selectFilterIcons();
    autocompletes();
    dateTimeInputs();
  }

  // Select2 starts in jQuery's ready callbacks, which jQuery 3 runs asynchronously,
  // sometimes after "load"; a ready callback added after Django's runs after it.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(nameEverything);
  }
  window.addEventListener("load", nameEverything);
  document.addEventListener("formset:added", nameEverything);
})();
