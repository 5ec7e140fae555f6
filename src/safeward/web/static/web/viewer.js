/* The in-page viewer of a list of photos and videos (ul[data-viewer] of links to the files).
   Without script each link opens its file; with it a <dialog> shows one at a time, with
   previous/next buttons, arrow keys (mirrored on right-to-left pages), swipes and Esc. */
(function () {
  "use strict";
  function setUp(list) {
    var dialog = document.getElementById(list.dataset.viewer);
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    var links = Array.prototype.slice.call(list.querySelectorAll("a[data-kind]"));
    var stage = dialog.querySelector(".viewer-stage");
    var title = dialog.querySelector(".viewer-title");
    var count = dialog.querySelector(".viewer-count");
    var steps = dialog.querySelectorAll("[data-step]");
    var current = 0;
    var rtl = document.documentElement.dir === "rtl";

    function clear() {
      var video = stage.querySelector("video");
      if (video) { video.pause(); video.removeAttribute("src"); video.load(); }
      stage.textContent = "";
    }
    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      clear();
      var media;
      if (link.dataset.kind === "video") {
        media = document.createElement("video");
        media.controls = true;
        media.preload = "metadata";
        media.playsInline = true;
      } else {
        media = document.createElement("img");
        media.alt = link.querySelector("img").alt;
      }
      media.src = link.href;
      stage.appendChild(media);
      title.textContent = link.dataset.caption;
      count.textContent = dialog.dataset.count
        .replace("{n}", String(current + 1)).replace("{total}", String(links.length));
    }
    function step(by) { if (links.length > 1) { show(current + by); } }

    steps.forEach(function (button) {
      button.hidden = links.length < 2;
      button.addEventListener("click", function () { step(parseInt(button.dataset.step, 10)); });
    });
    count.hidden = links.length < 2;
    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
        event.preventDefault();
        show(index);
        dialog.showModal();
      });
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.target.tagName === "VIDEO") { return; }  // the player's own keys seek
      var forward = rtl ? "ArrowLeft" : "ArrowRight", back = rtl ? "ArrowRight" : "ArrowLeft";
      if (event.key === forward) { event.preventDefault(); step(1); }
      if (event.key === back) { event.preventDefault(); step(-1); }
    });
    dialog.addEventListener("close", function () {
      clear();
      links[current].focus();
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) { dialog.close(); }  // a tap on the backdrop
    });
    var startX = null;
    stage.addEventListener("touchstart", function (event) {
      startX = event.touches.length === 1 ? event.touches[0].clientX : null;
    }, { passive: true });
    stage.addEventListener("touchend", function (event) {
      if (startX === null || stage.querySelector("video")) { return; }
      var dx = event.changedTouches[0].clientX - startX;
      if (Math.abs(dx) > 50) { step((dx < 0) !== rtl ? 1 : -1); }
      startX = null;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("ul[data-viewer]").forEach(setUp);
  });
})();
