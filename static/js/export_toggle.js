// The export page's "select all" box, wired without an inline handler so that it works
// under the Content-Security-Policy (script-src 'self'). onSelectToggleChange comes from
// django-import-export's export_selectable_fields.js.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", (event) => onSelectToggleChange(event));
  });
});
