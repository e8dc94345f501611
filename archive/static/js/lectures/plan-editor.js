/* Lecture plan editor: reorder items by drag and drop or keyboard (saved at once),
   live speaking time while trimming or writing, confirm before deleting a plan.
   Local file, no inline script (the CSP forbids it).  Without JavaScript every
   action still works through the form's own buttons. */
(function () {
  "use strict";

  var SPOKEN = /[\p{L}\p{N}]/gu;

  function spokenChars(text) {
    var found = text.match(SPOKEN);
    return found ? found.length : 0;
  }

  function duration(seconds) {
    var minutes = Math.floor(seconds / 60), rest = seconds % 60;
    if (minutes && rest) { return minutes + "分" + (rest < 10 ? "0" : "") + rest + "秒"; }
    return minutes ? minutes + "分" : rest + "秒";
  }

  function clock(seconds) {
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  /* Same rule as archive.lectures.timing.slot_fit: within max(10%, 1 minute) fits. */
  function slotFit(total, target) {
    if (!target) { return { state: "none", label: "未设定时长" }; }
    var difference = total - target, tolerance = Math.max(60, Math.round(target * 0.1));
    if (difference > tolerance) { return { state: "over", label: "超时 " + duration(difference) }; }
    if (difference < -tolerance) { return { state: "under", label: "不足 " + duration(-difference) }; }
    return { state: "fits", label: "时长合适" };
  }

  function number(input) {
    var value = input ? parseInt(input.value, 10) : NaN;
    return isNaN(value) || value < 1 ? null : value;
  }

  function itemSeconds(item, rate) {
    var kind = item.getAttribute("data-kind");
    var fixed = item.getAttribute("data-fixed") === "1";
    if (!fixed && kind === "segment") {
      var first = number(item.querySelector(".trim-first")), last = number(item.querySelector(".trim-last"));
      if (first !== null || last !== null) {
        var chars = (item.getAttribute("data-sentences") || "").split(",").filter(Boolean).map(Number);
        var from = Math.min(first || 1, chars.length), to = Math.min(last || chars.length, chars.length);
        if (from > to) { var swap = from; from = to; to = swap; }
        var sum = chars.slice(Math.max(from, 1) - 1, to).reduce(function (a, b) { return a + b; }, 0);
        return Math.round(sum * 60 / rate);
      }
    }
    if (!fixed && kind === "text") {
      var text = item.querySelector(".item-own-text");
      if (text) { return Math.round(spokenChars(text.value) * 60 / rate); }
    }
    return parseInt(item.getAttribute("data-seconds"), 10) || 0;
  }

  function recompute(form) {
    var rate = parseFloat(form.getAttribute("data-rate")) || 200;
    var target = parseFloat(form.getAttribute("data-target")) || 0;
    var start = 0;
    form.querySelectorAll(".plan-item").forEach(function (item, position) {
      item.querySelector(".item-number").textContent = position + 1;
      if (item.getAttribute("data-exported") !== "1") { return; }
      var seconds = itemSeconds(item, rate);
      var shown = item.querySelector(".item-duration"), begins = item.querySelector(".item-start");
      if (shown) { shown.textContent = duration(seconds); }
      if (begins) { begins.textContent = clock(start); }
      start += seconds;
    });
    var total = document.getElementById("total-time"), fitMark = document.getElementById("slot-fit");
    if (total) { total.textContent = duration(start); }
    if (fitMark) {
      var fit = slotFit(start, target);
      fitMark.textContent = fit.label;
      fitMark.className = "fit fit-" + fit.state;
    }
  }

  /* After a save the file holds the items in the order sent, so each item's fields are
     renumbered to its new position (fields are named by position in the file). */
  function renumber(item, position) {
    var old = item.getAttribute("data-index");
    var suffix = new RegExp("-" + old + "$");
    item.setAttribute("data-index", position);
    item.id = "item-" + position;
    item.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attribute) {
        var value = el.getAttribute(attribute);
        if (value && suffix.test(value)) { el.setAttribute(attribute, value.replace(suffix, "-" + position)); }
      });
      if (el.name === "order") { el.value = position; }
      if (el.tagName === "BUTTON" && /^[a-z]+:\d+$/.test(el.value)) { el.value = el.value.split(":")[0] + ":" + position; }
    });
  }

  /* One save at a time: a move made while saving is sent after it, with the new version. */
  var saving = false, again = false;

  function saveOrder(form, status) {
    if (saving) { again = true; return; }
    saving = true;
    var sent = Array.prototype.slice.call(form.querySelectorAll(".plan-item"));
    var data = new FormData(form);
    data.set("action", "save");
    status.textContent = "正在保存顺序…";
    /* getAttribute: the form's buttons named "action" shadow form.action */
    fetch(form.getAttribute("action"), { method: "POST", body: data, headers: { "Accept": "application/json" },
                                         credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.ok) {
          sent.forEach(renumber);
          form.querySelector("input[name=version]").value = answer.version;
          status.textContent = "顺序已保存。";
        } else {
          status.textContent = answer.message + "（请刷新页面）";
        }
      })
      .catch(function () { status.textContent = "保存失败，请检查网络后点“保存修改”。"; })
      .then(function () {
        saving = false;
        if (again) { again = false; saveOrder(form, status); }
      });
  }

  function moveItem(item, offset) {
    var sibling = offset < 0 ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling) { return false; }
    item.parentNode.insertBefore(item, offset < 0 ? sibling : sibling.nextElementSibling);
    return true;
  }

  function setUpEditor(form) {
    var list = form.querySelector("#plan-items");
    var status = form.querySelector(".save-status") || document.createElement("span");
    var moved = form.querySelector(".move-status");
    if (!list) { return; }
    var dragged = null;

    function afterMove(item, announce) {
      recompute(form);
      list.querySelectorAll(".just-moved").forEach(function (el) { el.classList.remove("just-moved"); });
      item.classList.add("just-moved");
      if (announce && moved) {
        var position = Array.prototype.indexOf.call(list.children, item) + 1;
        moved.textContent = "已移到第 " + position + " 项。";
      }
      saveOrder(form, status);
    }

    list.addEventListener("keydown", function (event) {
      var handle = event.target.closest(".drag-handle");
      if (!handle || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) { return; }
      event.preventDefault();
      var item = handle.closest(".plan-item");
      if (moveItem(item, event.key === "ArrowUp" ? -1 : 1)) {
        handle.focus();
        afterMove(item, true);
      }
    });

    /* Items are draggable only by their handle, so text in their fields can still be selected. */
    var fromHandle = false;
    list.querySelectorAll(".plan-item").forEach(function (item) { item.setAttribute("draggable", "true"); });
    list.addEventListener("mousedown", function (event) {
      fromHandle = Boolean(event.target.closest(".drag-handle"));
    });
    list.addEventListener("dragstart", function (event) {
      var item = event.target.closest && event.target.closest(".plan-item");
      if (!item || !fromHandle) { event.preventDefault(); return; }
      dragged = item;
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.getAttribute("data-index"));
    });
    list.addEventListener("dragover", function (event) {
      var over = event.target.closest(".plan-item");
      if (!dragged || !over || over === dragged) { if (dragged) { event.preventDefault(); } return; }
      event.preventDefault();
      var box = over.getBoundingClientRect();
      var before = event.clientY < box.top + box.height / 2;
      list.insertBefore(dragged, before ? over : over.nextElementSibling);
    });
    list.addEventListener("drop", function (event) { if (dragged) { event.preventDefault(); } });
    list.addEventListener("dragend", function () {
      if (!dragged) { return; }
      var item = dragged;
      dragged = null;
      item.classList.remove("dragging");
      afterMove(item, true);
    });

    form.addEventListener("input", function (event) {
      if (event.target.matches(".trim-first, .trim-last, .item-own-text")) { recompute(form); }
    });
    recompute(form);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("items-form");
    if (form) { setUpEditor(form); }
    document.querySelectorAll("form[data-confirm]").forEach(function (confirmForm) {
      confirmForm.addEventListener("submit", function (event) {
        if (!window.confirm(confirmForm.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
    document.querySelectorAll("button.print-page").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
}());
