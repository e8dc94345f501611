/* Presenter mode for the projector: one item at a time, large; recorded clips play
   from their in point and stop at their out point; the lower half (演讲者视图) shows
   notes, the next item and the clock against the plan's time budget.
   Keys: → ↓ PageDown Space next, ← ↑ PageUp previous (a presenter remote sends
   PageUp/PageDown), Home/End, Enter play/pause a clip, N hide the private view,
   F full screen.  "讲者窗口" opens the private view in a second window (?view=private)
   that follows and drives the projected one (BroadcastChannel, same browser, offline).
   Local file, nothing from the internet, no inline script. */
(function () {
  "use strict";

  var slides = Array.prototype.slice.call(document.querySelectorAll("#stage .slide"));
  var body = document.body, current = -1, started = Date.now(), watching = null;
  var budget = parseInt(body.getAttribute("data-budget"), 10) || parseInt(body.getAttribute("data-total"), 10) || 0;
  var privateWindow = new URLSearchParams(window.location.search).get("view") === "private";
  var channel = window.BroadcastChannel ? new window.BroadcastChannel("present-" + window.location.pathname) : null;
  if (privateWindow) { body.classList.add("private-only", "with-notes"); }

  function clock(seconds) {
    var whole = Math.max(0, Math.round(seconds)), rest = whole % 60;
    return Math.floor(whole / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function media(slide) { return slide.querySelector(".clip-media"); }

  function stopAtOut(player, out, state) {
    // timeupdate fires only every ~250 ms: poll each frame so the clip stops at its out point
    function check() {
      if (player.currentTime >= out) {
        player.pause();
        player.currentTime = out;
        state.textContent = "录音已播完（到出点 " + clock(out) + "）";
        return;
      }
      if (!player.paused) { watching = window.requestAnimationFrame(check); }
    }
    window.cancelAnimationFrame(watching);
    watching = window.requestAnimationFrame(check);
  }

  function playClip(slide) {
    var player = media(slide), state = slide.querySelector(".clip-state");
    var start = parseFloat(slide.getAttribute("data-in")), out = parseFloat(slide.getAttribute("data-out"));
    if (player.currentTime < start || player.currentTime >= out) { player.currentTime = start; }
    var played = player.play();
    state.textContent = "正在播放录音 " + clock(start) + "–" + clock(out);
    if (played && played.catch) {
      played.catch(function () { state.textContent = "按 Enter 播放录音"; });
    }
  }

  function toggleClip() {
    var slide = slides[current], player = slide && media(slide);
    if (!player) { return; }
    if (player.paused) { playClip(slide); } else { player.pause(); }
  }

  function showPrivate(index) {
    var template = slides[index].querySelector("template.private"), target = document.getElementById("private-current");
    target.textContent = "";
    if (template) { target.appendChild(template.content.cloneNode(true)); }
    var next = slides[index + 1], heading = next && next.querySelector(".slide-heading, h1");
    document.getElementById("next-heading").textContent = heading ? heading.textContent : "（最后一项）";
  }

  function show(index, fromChannel) {
    index = Math.max(0, Math.min(slides.length - 1, index));
    if (index === current) { return; }
    if (channel && !fromChannel) { channel.postMessage({index: index}); }
    if (current >= 0) {
      slides[current].hidden = true;
      var old = media(slides[current]);
      if (old) { old.pause(); }
    }
    current = index;
    slides[current].hidden = false;
    showPrivate(current);
    body.setAttribute("data-current", String(current));
    if (media(slides[current]) && !privateWindow) { playClip(slides[current]); }
    if (document.getElementById("elapsed")) { tick(); }
  }

  function tick() {
    var elapsed = (Date.now() - started) / 1000, planned = parseFloat(slides[current].getAttribute("data-start")) || 0;
    document.getElementById("elapsed").textContent = clock(elapsed);
    var pace = document.getElementById("pace"), ahead = planned - elapsed;
    pace.textContent = Math.abs(ahead) < 30 ? "按计划" : (ahead > 0 ? "比计划快 " : "比计划慢 ") + clock(Math.abs(ahead));
    pace.className = "pace" + (elapsed > budget && budget ? " over" : "");
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key, handled = true;
    if (key === "ArrowRight" || key === "ArrowDown" || key === "PageDown" || key === " ") { show(current + 1); }
    else if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp") { show(current - 1); }
    else if (key === "Home") { show(0); }
    else if (key === "End") { show(slides.length - 1); }
    else if (key === "Enter") { toggleClip(); }
    else if (key === "n" || key === "N") { body.classList.toggle("with-notes"); }
    else if (key === "f" || key === "F") { fullScreen(); }
    else { handled = false; }
    if (handled) { event.preventDefault(); }
  });

  function fullScreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen().catch(function () {}); }
  }

  if (channel) {
    channel.onmessage = function (event) {
      if (event.data.ask && !privateWindow) { channel.postMessage({index: current, started: started}); }
      else if (typeof event.data.index === "number") { show(event.data.index, true); }
      if (event.data.started) { started = event.data.started; tick(); }  // one clock for both windows
    };
    if (privateWindow) { channel.postMessage({ask: true}); }  // open where the projector is
  }
  document.getElementById("open-private").addEventListener("click", function () {
    window.open(window.location.pathname + "?view=private", "presenter-private", "width=1000,height=700");
    body.classList.remove("with-notes");  // the projector now shows only the talk
  });
  document.getElementById("fullscreen").addEventListener("click", fullScreen);
  document.getElementById("restart-clock").addEventListener("click", function () { started = Date.now(); tick(); });
  slides.forEach(function (slide) {
    var player = media(slide);
    if (player) {
      player.addEventListener("play", function () {
        stopAtOut(player, parseFloat(slide.getAttribute("data-out")), slide.querySelector(".clip-state"));
      });
    }
  });
  show(0, true);
  tick();
  window.setInterval(tick, 1000);
}());
