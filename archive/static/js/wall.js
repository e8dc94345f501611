// The honour wall on a lobby screen: cycles through the narrators by itself, fetches the
// list again every few minutes, and keeps cycling the last list it had while the server is
// away (a restart, a lost network), trying again every 30 seconds until it answers.
// One slide is reused for every narrator, so nothing piles up over days of running.
(function () {
  "use strict";
  var stage = document.getElementById("wall");
  if (!stage) { return; }
  var slideMs = Number(stage.getAttribute("data-slide")) * 1000;
  var refreshMs = Number(stage.getAttribute("data-refresh")) * 1000;
  var retryMs = 30000;
  var source = stage.getAttribute("data-items");
  var items = [];
  var index = 0;
  function el(id) { return document.getElementById(id); }

  function show() {
    if (!items.length) { return; }
    index = (index + 1) % items.length;
    var item = items[index];
    el("wall-slide").setAttribute("href", item.url);
    el("wall-portrait").setAttribute("src", item.portrait_url);
    el("wall-portrait").setAttribute("alt", item.name + "的肖像");
    el("wall-name").textContent = item.name;
    el("wall-name").setAttribute("data-slug", item.slug);
    el("wall-honours").textContent = item.honours.join(" · ");
    el("wall-citation").textContent = item.citation;
    el("wall-story").textContent = item.story_title;
    el("wall-hint-name").textContent = item.name;
    el("wall-qr").setAttribute("src", item.qr_url);
    el("wall-qr").setAttribute("alt", "扫码阅读" + item.name + "的故事");
  }

  function load() {
    fetch(source, { cache: "no-store", credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (list) {
        var current = items.length ? items[index].slug : el("wall-name").getAttribute("data-slug");
        items = list;
        index = Math.max(0, list.findIndex(function (item) { return item.slug === current; }));
        el("wall-count").textContent = String(list.length);
        setTimeout(load, refreshMs);
      })
      .catch(function () { setTimeout(load, retryMs); });
  }

  function tick() {
    show();
    setTimeout(tick, slideMs);
  }

  if (el("wall-portrait")) {
    load();
    setTimeout(tick, slideMs);
  }
})();
