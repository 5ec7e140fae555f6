// The main menu: on phones a drawer behind the Menu button; its sections open one at a
// time and close on Escape or a click elsewhere. Without scripts the menu is a plain list.
(function () {
  var nav = document.getElementById("mainnav");
  if (!nav) return;
  var toggle = nav.querySelector(".navtoggle");
  var groups = Array.prototype.slice.call(nav.querySelectorAll(".navgroup details"));
  function closeGroups(except) {
    groups.forEach(function (d) { if (d !== except) d.open = false; });
  }
  toggle.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  groups.forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) closeGroups(d); });
  });
  document.addEventListener("click", function (event) {
    if (!nav.contains(event.target)) {
      closeGroups(null);
      if (nav.classList.contains("open")) {
        nav.classList.remove("open");
        toggle.setAttribute("aria-expanded", "false");
      }
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeGroups(null); nav.classList.remove("open"); toggle.setAttribute("aria-expanded", "false"); }
  });
})();
