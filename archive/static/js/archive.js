/* Reading-side behaviour.  Local file, no inline scripts (the CSP forbids them).
   Every feature works without JavaScript too: links still lead somewhere. */
(function () {
  "use strict";

  function player() { return document.getElementById("player"); }

  /* Timestamps and "play from here": seek the recording and play. */
  function playFrom(seconds) {
    var media = player();
    if (!media) { return false; }
    media.currentTime = seconds;
    var started = media.play();
    if (started && started.catch) { started.catch(function () {}); }
    return true;
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-seconds].ts, button.play-from");
    if (target) {
      var seconds = parseInt(target.getAttribute("data-seconds"), 10);
      if (!isNaN(seconds) && playFrom(seconds) && target.tagName === "A") {
        history.replaceState(null, "", target.getAttribute("href"));
        event.preventDefault();
      }
      return;
    }
    var heading = event.target.closest(".segment-title");
    if (heading && player()) {
      var segment = heading.closest(".segment[data-seconds]");
      if (segment) { playFrom(parseInt(segment.getAttribute("data-seconds"), 10)); }
      return;
    }
    var copy = event.target.closest("button.copy-link");
    if (copy) {
      var url = location.origin + location.pathname + "#" + copy.getAttribute("data-anchor");
      copyText(url, copy, "已复制链接");
      return;
    }
    var copyTarget = event.target.closest("button[data-copy-target]");
    if (copyTarget) {
      var source = document.getElementById(copyTarget.getAttribute("data-copy-target"));
      if (source) { copyText(source.textContent.trim(), copyTarget, "已复制"); }
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    var photo = event.target.closest("a.gallery-link");
    if (photo && openLightbox(photo)) {
      event.preventDefault();
      return;
    }
    var control = event.target.closest("[data-lightbox]");
    if (control) { lightboxControl(control.getAttribute("data-lightbox")); }
  });

  function copyText(text, button, done) {
    var label = button.textContent;
    function shown() {
      button.textContent = done;
      button.setAttribute("data-copied", text);
      setTimeout(function () { button.textContent = label; }, 2000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(shown, function () { fallbackCopy(text); shown(); });
    } else {
      fallbackCopy(text);
      shown();
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* the link stays visible to copy by hand */ }
    area.remove();
  }

  /* Lightbox: a <dialog> showing the web-size photo; arrows and Esc work from the keyboard. */
  var current = -1;

  function galleryLinks() { return Array.prototype.slice.call(document.querySelectorAll("a.gallery-link")); }

  function openLightbox(link) {
    var dialog = document.getElementById("lightbox");
    if (!dialog || typeof dialog.showModal !== "function") { return false; }
    current = galleryLinks().indexOf(link);
    show(link);
    if (!dialog.open) { dialog.showModal(); }
    return true;
  }

  function show(link) {
    var image = document.getElementById("lightbox-image");
    var thumb = link.querySelector("img");
    image.src = link.getAttribute("href");
    image.alt = thumb ? thumb.alt : "";
    document.getElementById("lightbox-caption").textContent = link.getAttribute("data-caption") || "";
  }

  function lightboxControl(action) {
    var dialog = document.getElementById("lightbox");
    var links = galleryLinks();
    if (action === "close") { dialog.close(); return; }
    if (!links.length) { return; }
    current = (current + (action === "next" ? 1 : -1) + links.length) % links.length;
    show(links[current]);
  }

  document.addEventListener("keydown", function (event) {
    var dialog = document.getElementById("lightbox");
    if (!dialog || !dialog.open) { return; }
    if (event.key === "ArrowRight") { lightboxControl("next"); }
    if (event.key === "ArrowLeft") { lightboxControl("prev"); }
  });

  /* Search hits open the story at the passage with ?hl=word: mark the words and go there. */
  function highlight() {
    var words = new URLSearchParams(location.search).getAll("hl").filter(function (w) { return w.trim(); });
    var transcript = document.getElementById("transcript");
    if (!words.length || !transcript) { return; }
    var escaped = words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    var pattern = new RegExp("(" + escaped.join("|") + ")", "g");
    var walker = document.createTreeWalker(transcript, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    nodes.forEach(function (node) {
      if (!pattern.test(node.nodeValue)) { return; }
      pattern.lastIndex = 0;
      var fragment = document.createDocumentFragment();
      node.nodeValue.split(pattern).forEach(function (part, index) {
        if (index % 2 === 1) {
          var mark = document.createElement("mark");
          mark.className = "hit";
          mark.textContent = part;
          fragment.appendChild(mark);
        } else if (part) {
          fragment.appendChild(document.createTextNode(part));
        }
      });
      node.parentNode.replaceChild(fragment, node);
    });
  }

  function focusTarget() {
    if (!location.hash) { return; }
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target || !target.classList.contains("segment")) { return; }
    document.querySelectorAll(".segment.target").forEach(function (s) { s.classList.remove("target"); });
    target.classList.add("target");
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  }

  document.addEventListener("DOMContentLoaded", function () {
    highlight();
    focusTarget();
  });
  window.addEventListener("hashchange", focusTarget);
})();
