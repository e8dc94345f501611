/* The listening page: the transcript follows the recording, #t= links start playing at a
   moment, and a search box steps through every hit inside this one story.
   Local file, no inline script (the CSP forbids it); without JavaScript the page still reads,
   timecodes are anchors and the search box searches this story on the server. */
(function () {
  "use strict";

  var media = null;
  var starts = [];          // [{seconds, segment, entry}] in time order
  var playingId = null;

  function byId(id) { return document.getElementById(id); }

  function timeLabel(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(Math.floor(s / 3600)) + ":" + two(Math.floor(s % 3600 / 60)) + ":" + two(s % 60);
  }

  /* "00:12:30", "12:30", "750" -> seconds; a segment id -> its start; else null. */
  function parseStart(value) {
    if (/^\d+$/.test(value)) { return parseInt(value, 10); }
    var parts = value.match(/^(?:(\d{1,2}):)?([0-5]?\d):([0-5]\d)$/);
    if (parts) { return (parseInt(parts[1] || "0", 10) * 3600) + parseInt(parts[2], 10) * 60 + parseInt(parts[3], 10); }
    var segment = byId(value);
    if (segment && segment.hasAttribute("data-seconds")) { return parseInt(segment.getAttribute("data-seconds"), 10); }
    return null;
  }

  function whenReady(callback) {
    if (media.readyState >= 1) { callback(); return; }
    media.addEventListener("loadedmetadata", callback, { once: true });
  }

  function seek(seconds, play) {
    whenReady(function () {
      media.currentTime = seconds;
      if (play) {
        var started = media.play();
        if (started && started.catch) { started.catch(function () { showNotice("浏览器未允许自动播放：请点播放键，录音将从 " + timeLabel(seconds) + " 开始。"); }); }
      }
      follow(true);
    });
  }

  function showNotice(text) { var now = byId("now-playing"); if (now) { now.textContent = text; } }

  /* -- following the playback --------------------------------------------------- */
  function collectStarts() {
    var entries = {};
    document.querySelectorAll(".index-entry[data-segment]").forEach(function (entry) {
      entries[entry.getAttribute("data-segment")] = entry;
    });
    starts = Array.prototype.map.call(document.querySelectorAll("#transcript .segment[data-seconds]"), function (segment) {
      return { seconds: parseInt(segment.getAttribute("data-seconds"), 10), segment: segment, entry: entries[segment.id] || null };
    }).sort(function (a, b) { return a.seconds - b.seconds; });
  }

  function currentStart(time) {
    var found = null;
    for (var i = 0; i < starts.length && starts[i].seconds <= time + 0.25; i++) { found = starts[i]; }
    return found;
  }

  function follow(force) {
    var start = currentStart(media.currentTime);
    var id = start ? start.segment.id : null;
    if (id === playingId && !force) { return; }
    playingId = id;
    document.querySelectorAll(".playing").forEach(function (node) { node.classList.remove("playing"); node.removeAttribute("aria-current"); });
    if (!start) { return; }
    start.segment.classList.add("playing");
    if (start.entry) { start.entry.classList.add("playing"); start.entry.setAttribute("aria-current", "true"); }
    var label = start.entry ? start.entry.querySelector(".index-label") : null;
    showNotice("正在播放 " + timeLabel(start.seconds) + (label ? "　" + label.textContent : ""));
    var box = byId("follow-playback");
    if (box && box.checked) { start.segment.scrollIntoView({ block: "start" }); }
  }

  function measurePlayer() {
    var bar = byId("listening-player");
    if (bar) { document.documentElement.style.setProperty("--player-height", bar.offsetHeight + "px"); }
  }

  /* -- #t= links ------------------------------------------------------------------ */
  function startFromHash() {
    var hash = decodeURIComponent(location.hash.slice(1));
    if (hash.indexOf("t=") !== 0) { return; }
    var seconds = parseStart(hash.slice(2));
    if (seconds !== null) { seek(seconds, true); }
  }

  /* -- the segment index on phones -------------------------------------------------- */
  function toggleIndex(button) {
    var toc = byId("toc");
    if (!toc) { return; }
    toc.open = !toc.open;
    button.setAttribute("aria-expanded", String(toc.open));
    if (toc.open) { toc.scrollIntoView({ block: "start" }); }
  }

  function setUp() {
    media = byId("player");
    if (window.matchMedia("(max-width: 720px)").matches && byId("toc")) { byId("toc").open = false; }
    if (!media) { return; }
    collectStarts();
    measurePlayer();
    window.addEventListener("resize", measurePlayer);
    media.addEventListener("timeupdate", function () { follow(false); });
    media.addEventListener("seeked", function () { follow(false); });
    startFromHash();
  }

  document.addEventListener("click", function (event) {
    var entry = event.target.closest(".index-entry[data-seconds] .index-link");
    if (entry && media) {
      seek(parseInt(entry.parentNode.getAttribute("data-seconds"), 10), true);
      return;
    }
    var toggle = event.target.closest(".index-toggle");
    if (toggle) { toggleIndex(toggle); }
  });
  window.addEventListener("hashchange", function () { if (media) { startFromHash(); } });
  document.addEventListener("DOMContentLoaded", setUp);

  window.archiveListening = { seek: seek, timeLabel: timeLabel };
})();
