/* Clip picker on the "add to a talk" page: "设为入点" / "设为出点" copy the player's
   current time into the in/out fields and choose that recording; the length of the
   clip is shown as it is picked.  Local file, no inline script (the CSP forbids it).
   Without JavaScript the fields can be typed by hand. */
(function () {
  "use strict";

  function clock(seconds) {
    var whole = Math.floor(seconds), h = Math.floor(whole / 3600), m = Math.floor(whole % 3600 / 60), s = whole % 60;
    return [h, m, s].map(function (n) { return (n < 10 ? "0" : "") + n; }).join(":");
  }

  function seconds(text) {
    var parts = (text || "").trim().split(":").map(Number), total = 0;
    if (!parts.length || parts.some(isNaN)) { return NaN; }
    parts.forEach(function (n) { total = total * 60 + n; });
    return total;
  }

  var fieldIn = document.getElementById("clip-in"), fieldOut = document.getElementById("clip-out");

  function showLength(box) {
    var length = seconds(fieldOut.value) - seconds(fieldIn.value), label = box.querySelector(".clip-length");
    label.textContent = length > 0 ? "片段长 " + Math.floor(length / 60) + "分" + (length % 60) + "秒" : "";
  }

  document.querySelectorAll(".clip-recording").forEach(function (box) {
    var player = box.querySelector(".clip-player");
    function pick(field) {
      field.value = clock(player.currentTime);
      box.querySelector(".clip-choose").checked = true;
      showLength(box);
    }
    box.querySelector(".clip-set-in").addEventListener("click", function () { pick(fieldIn); });
    box.querySelector(".clip-set-out").addEventListener("click", function () { pick(fieldOut); });
  });
}());
