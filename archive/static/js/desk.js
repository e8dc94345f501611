/* The transcription desk: shortcuts for the player, timecodes and speaker labels at the cursor,
   autosave to the server (never over another archivist's save), word count and progress.
   The text is also kept in this browser (localStorage) until the server has it. */
(function () {
  "use strict";

  var AUTOSAVE_MS = 3000;
  var RATES = [0.5, 0.6, 0.75, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0];
  var desk, text, media, timer = null, saving = false, dirty = false, blocked = false;

  function byId(id) { return document.getElementById(id); }

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(Math.floor(s / 3600)) + ":" + two(Math.floor(s % 3600 / 60)) + ":" + two(s % 60);
  }

  /* -- editing the text at the cursor ------------------------------------------ */
  function insert(snippet, paragraph) {
    var start = text.selectionStart, end = text.selectionEnd, before = text.value.slice(0, start);
    var afterStamp = /(^|\n)\[\d{1,2}:\d{2}:\d{2}\] $/.test(before);  // a label right after a new timecode stays on its line
    if (paragraph && before && !afterStamp && !/\n\n$/.test(before)) { snippet = (/\n$/.test(before) ? "\n" : "\n\n") + snippet; }
    text.setRangeText(snippet, start, end, "end");
    text.focus();
    changed();
  }

  function stamp() { if (media) { insert("[" + clock(media.currentTime) + "] ", true); } }

  function unsure() {
    var start = text.selectionStart, end = text.selectionEnd;
    if (end > start) {
      text.setRangeText("[?" + text.value.slice(start, end) + "?]", start, end, "end");
      changed();
    } else {
      insert("[听不清]", false);
    }
  }

  /* -- the player ------------------------------------------------------------------ */
  function toggle() { if (media) { if (media.paused) { media.play(); } else { media.pause(); } } }
  function back() { if (media) { media.currentTime = Math.max(0, media.currentTime - 3); } }
  function rate(step) {
    if (!media) { return; }
    var index = RATES.indexOf(media.playbackRate);
    if (index < 0) { index = RATES.indexOf(1.0); }
    media.playbackRate = RATES[Math.min(RATES.length - 1, Math.max(0, index + step))];
    byId("desk-rate").textContent = media.playbackRate.toFixed(2).replace(/0$/, "");
  }

  var ACTIONS = {
    toggle: toggle, back: back, slower: function () { rate(-1); }, faster: function () { rate(1); },
    stamp: stamp, unsure: unsure,
    ask: function () { insert("**问：** ", true); },
    answer: function () { insert("**" + desk.getAttribute("data-speaker") + "：** ", true); },
    save: function () { save(true); }, download: download
  };

  function shortcut(event) {
    if (event.key === "Escape") { return "toggle"; }
    if (event.key === "F2") { return "back"; }
    if (event.key === "F3") { return "slower"; }
    if (event.key === "F4") { return "faster"; }
    if (event.ctrlKey && !event.altKey && (event.key === "j" || event.key === "J")) { return "stamp"; }
    if (event.altKey && !event.ctrlKey && event.code === "Digit1") { return "ask"; }
    if (event.altKey && !event.ctrlKey && event.code === "Digit2") { return "answer"; }
    if (event.altKey && !event.ctrlKey && event.code === "KeyU") { return "unsure"; }
    if (event.ctrlKey && (event.key === "s" || event.key === "S")) { return "save"; }
    return null;
  }

  /* -- counting --------------------------------------------------------------------- */
  function count() {
    var plain = text.value.replace(/\[\d{1,2}:\d{2}:\d{2}\]/g, "").replace(/[*_#>`]/g, "");
    var han = (plain.match(/[\u3400-\u9fff\uf900-\ufaff]/g) || []).length;
    var latin = (plain.match(/[A-Za-z0-9]+/g) || []).length;
    byId("desk-words").textContent = (han + latin) + " 字";
    var reach = 0;
    text.value.replace(/^\s*\[(\d{1,2}):([0-5]\d):([0-5]\d)\]/gm, function (all, h, m, s) {
      reach = Math.max(reach, h * 3600 + m * 60 + s * 1);
      return all;
    });
    var total = parseFloat(desk.getAttribute("data-duration")) || (media && isFinite(media.duration) ? media.duration : 0);
    byId("desk-progress").textContent = total
      ? "时间码已到 " + clock(reach) + " / " + clock(total) + "（" + Math.min(100, Math.round(reach * 100 / total)) + "%）"
      : "时间码已到 " + clock(reach);
  }

  /* -- saving ----------------------------------------------------------------------- */
  function say(message, bad) {
    var line = byId("desk-saved");
    line.textContent = message;
    line.className = bad ? "bad" : "";
  }

  function keepLocally() {
    try { localStorage.setItem(localKey(), text.value); } catch (e) { /* private mode */ }
  }

  function localKey() { return "desk:" + desk.getAttribute("data-slug"); }

  function forgetLocal() {
    try { localStorage.removeItem(localKey()); } catch (e) { /* private mode */ }
  }

  /* Text typed here that never reached the server (a crash, a closed tab, a refused save) is offered back. */
  function offerLocal() {
    var kept = null;
    try { kept = localStorage.getItem(localKey()); } catch (e) { kept = null; }
    if (kept === null || kept === text.value) { forgetLocal(); return; }
    var button = byId("desk-restore");
    button.hidden = false;
    say("本机还保存着一份没有存到服务器的文字（" + kept.length + " 字符）。", true);
    button.addEventListener("click", function () {
      text.value = kept;
      button.hidden = true;
      changed();
    }, { once: true });
  }

  function changed() {
    dirty = true;
    keepLocally();
    count();
    if (blocked) { return; }
    say("有未保存的修改");
    clearTimeout(timer);
    timer = setTimeout(function () { save(false); }, AUTOSAVE_MS);
  }

  function save(final) {
    if (saving || blocked) { if (saving && final) { setTimeout(function () { save(true); }, 300); } return; }
    if (!dirty && !final) { return; }
    clearTimeout(timer);
    saving = true;
    var sent = text.value;
    say(final ? "正在保存…" : "正在自动保存…");
    fetch(desk.getAttribute("data-save"), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": desk.getAttribute("data-csrf") },
      body: JSON.stringify({ body: sent, base_version: desk.getAttribute("data-version"), final: !!final })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) { return [response.status, answer]; });
    }).then(function (result) {
      saving = false;
      var status = result[0], answer = result[1];
      if (status === 200) {
        desk.setAttribute("data-version", answer.version);
        dirty = text.value !== sent;
        if (dirty) { changed(); return; }
        forgetLocal();
        say((final ? "已保存" : "已自动保存") + "（" + new Date().toLocaleTimeString("zh-CN") + "，" + answer.segments + " 个时间码段落）");
        return;
      }
      if (status === 409) { blocked = true; }
      say(answer.error || ("保存没有成功（" + status + "），文字仍在本页。"), true);
    }, function () {
      saving = false;
      say("网络中断，没有保存；文字仍在本页，恢复后会再试。", true);
      timer = setTimeout(function () { save(final); }, AUTOSAVE_MS * 3);
    });
  }

  function download() {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text.value], { type: "text/markdown;charset=utf-8" }));
    link.download = desk.getAttribute("data-slug") + "-转写稿.md";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  document.addEventListener("DOMContentLoaded", function () {
    desk = byId("desk");
    if (!desk) { return; }
    text = byId("desk-body");
    media = byId("desk-player");
    if (media) {
      media.addEventListener("timeupdate", function () { byId("desk-time").textContent = clock(media.currentTime); });
      media.addEventListener("loadedmetadata", count);
    }
    text.addEventListener("input", changed);
    document.addEventListener("keydown", function (event) {
      var action = shortcut(event);
      if (action) { event.preventDefault(); ACTIONS[action](); }
    });
    desk.addEventListener("click", function (event) {
      var button = event.target.closest("[data-desk]");
      if (button) { ACTIONS[button.getAttribute("data-desk")](); }
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
    count();
    offerLocal();
  });
})();
