/* Search inside one interview: every hit in the transcript and the interview index is marked,
   "第 3 / 12 处" says where the reader is, Enter / Shift+Enter (or the buttons) step to the
   next and previous hit, and "从此处播放" seeks the recording to the hit's segment.
   Without JavaScript the form searches this story on the server instead. */
(function () {
  "use strict";

  var hits = [];
  var current = -1;
  var asked = "";

  function byId(id) { return document.getElementById(id); }

  function clearMarks() {
    document.querySelectorAll("mark.find-hit").forEach(function (mark) {
      var parent = mark.parentNode;
      parent.replaceChild(document.createTextNode(mark.textContent), mark);
      parent.normalize();
    });
    hits = [];
    current = -1;
  }

  function pattern(query) {
    var words = query.split(/\s+/).filter(Boolean).map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return words.length ? new RegExp("(" + words.join("|") + ")", "gi") : null;
  }

  function markIn(root, regex) {
    if (!root) { return; }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    nodes.forEach(function (node) {
      regex.lastIndex = 0;
      if (!regex.test(node.nodeValue)) { return; }
      regex.lastIndex = 0;
      var fragment = document.createDocumentFragment();
      node.nodeValue.split(regex).forEach(function (part, index) {
        if (index % 2 === 1) {
          var mark = document.createElement("mark");
          mark.className = "find-hit";
          mark.textContent = part;
          fragment.appendChild(mark);
        } else if (part) {
          fragment.appendChild(document.createTextNode(part));
        }
      });
      node.parentNode.replaceChild(fragment, node);
    });
  }

  function search(query) {
    clearMarks();
    asked = query;
    var regex = pattern(query);
    if (!regex) { return; }
    var toc = byId("toc");
    markIn(toc ? toc.querySelector("ol") : null, regex);
    markIn(byId("transcript"), regex);
    hits = Array.prototype.slice.call(document.querySelectorAll("mark.find-hit"));
  }

  function show() {
    var count = byId("find-count");
    var prev = document.querySelector("[data-find=prev]");
    var play = document.querySelector("[data-find=play]");
    document.querySelectorAll("mark.find-hit.current").forEach(function (m) { m.classList.remove("current"); });
    if (prev) { prev.hidden = hits.length < 2; }
    if (play) { play.hidden = !hits.length; }
    if (!asked) { count.textContent = ""; return; }
    if (!hits.length) { count.textContent = "本篇中没有“" + asked + "”"; return; }
    var mark = hits[current];
    mark.classList.add("current");
    count.textContent = "第 " + (current + 1) + " / " + hits.length + " 处";
    var toc = byId("toc");
    if (toc && toc.contains(mark)) { toc.open = true; }
    mark.scrollIntoView({ block: "center" });
  }

  function step(direction) {
    var input = byId("find-q");
    var query = input.value.trim();
    if (query !== asked) { search(query); current = direction > 0 ? -1 : 0; }
    if (hits.length) { current = (current + direction + hits.length) % hits.length; }
    show();
  }

  function playHit() {
    var mark = hits[current];
    if (!mark || !window.archiveListening) { return; }
    var holder = mark.closest("[data-seconds]") || mark.closest(".segment");
    var seconds = holder ? parseInt(holder.getAttribute("data-seconds"), 10) : NaN;
    if (!isNaN(seconds)) { window.archiveListening.seek(seconds, true); }
  }

  /* Arriving from a search hit (?hl=word#segment): the box holds the words and the count starts
     at the first hit in that segment, so the reader can step on from there. */
  function fromSearchHit() {
    var words = new URLSearchParams(location.search).getAll("hl").filter(function (w) { return w.trim(); });
    var input = byId("find-q");
    if (!words.length || !input) { return; }
    input.value = words.join(" ");
    search(input.value.trim());
    if (!hits.length) { show(); return; }
    var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    var inside = target ? hits.findIndex(function (mark) { return target.contains(mark); }) : -1;
    current = inside >= 0 ? inside : 0;
    show();
  }

  document.addEventListener("DOMContentLoaded", fromSearchHit);

  document.addEventListener("submit", function (event) {
    if (event.target.id !== "find-form") { return; }
    event.preventDefault();
    step(1);
  });

  document.addEventListener("keydown", function (event) {
    if (event.target.id !== "find-q") { return; }
    if (event.key === "Enter" && event.shiftKey) { event.preventDefault(); step(-1); }
    if (event.key === "Escape") { event.target.value = ""; search(""); show(); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-find]");
    if (!button) { return; }
    var action = button.getAttribute("data-find");
    if (action === "prev") { step(-1); }
    if (action === "play") { playHit(); }
  });
})();
