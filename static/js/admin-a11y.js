// Django's SelectFilter widget (filter_horizontal) labels its search icon with
// aria-label on a bare <span>, which ARIA does not allow (axe: aria-prohibited-attr).
// Giving the icon the role of an image keeps its label valid. The widget draws
// itself on "load"; this listener is added later, so it runs after it.
window.addEventListener("load", function () {
  document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
    icon.setAttribute("role", "img");
  });
});
