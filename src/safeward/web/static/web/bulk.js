// A list's "choose every row on this page" box, and the bulk actions' buttons enabled only
// while a row is chosen. Without scripts each row's box still works.
(function () {
  function update(form) {
    var any = document.querySelectorAll("input.rowpick[form='" + form.id + "']:checked").length > 0;
    form.querySelectorAll("button").forEach(function (b) { b.disabled = !any; });
  }
  function wire() {
    var form = document.getElementById("bulk-form");
    if (!form || form.dataset.wired) return;
    form.dataset.wired = "1";
    update(form);
    document.querySelectorAll("input.pickall").forEach(function (all) {
      all.addEventListener("change", function () {
        document.querySelectorAll("input.rowpick").forEach(function (box) { box.checked = all.checked; });
        update(form);
      });
    });
    document.querySelectorAll("input.rowpick").forEach(function (box) {
      box.addEventListener("change", function () { update(form); });
    });
  }
  wire();
  document.addEventListener("htmx:afterSwap", wire);
})();
