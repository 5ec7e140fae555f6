// A long select (wards, with the names they had before a reorganisation) gets a search box
// above it: typing narrows the choices, ignoring case and Vietnamese marks. Without scripts
// the select works as it is.
(function () {
  function bare(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  document.querySelectorAll("select[data-search]").forEach(function (select) {
    var options = Array.prototype.slice.call(select.options);
    var keys = options.map(function (o) { return bare(o.text); });
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.placeholder = select.getAttribute("data-search");
    box.setAttribute("aria-label", select.getAttribute("data-search"));
    box.setAttribute("aria-controls", select.id);
    box.autocomplete = "off";
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = bare(box.value).split(/\s+/).filter(Boolean);
      var chosen = select.value;
      while (select.options.length) select.remove(0);
      options.forEach(function (o, i) {
        var hit = !o.value || o.value === chosen || words.every(function (w) { return keys[i].indexOf(w) !== -1; });
        if (hit) select.add(o);
      });
      select.value = chosen;
    });
  });
})();
