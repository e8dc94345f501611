/* Recording upload: the file goes as the raw body of one PUT (streamed to disk by the server,
   never held in memory), with a progress bar; the answer says what was stored or why not. */
(function () {
  "use strict";

  function status(text, bad) {
    var line = document.getElementById("rec-status");
    line.textContent = text;
    line.className = bad ? "form-error" : "";
  }

  function send(form, file) {
    var params = new URLSearchParams({ name: file.name, base_version: form.getAttribute("data-version") });
    Array.prototype.forEach.call(form.elements, function (input) {  // every named input but the file itself
      if (input.name && input.name !== "file") { params.set(input.name, input.value); }
    });
    var request = new XMLHttpRequest();
    var bar = document.getElementById("rec-progress");
    request.open("PUT", form.getAttribute("data-url") + "?" + params.toString());
    request.setRequestHeader("X-CSRF-Token", form.getAttribute("data-csrf"));
    request.setRequestHeader("Content-Type", "application/octet-stream");
    request.upload.onprogress = function (event) {
      if (event.lengthComputable) { bar.value = Math.round(event.loaded * 100 / event.total); }
    };
    request.onload = function () {
      var answer = {};
      try { answer = JSON.parse(request.responseText); } catch (e) { answer = {}; }
      if (request.status === 200) {
        status("已保存：" + (answer.saved.original_name || answer.saved.file) + "，时长 " + Math.round(answer.saved.duration) + " 秒。");
        setTimeout(function () { location.reload(); }, 800);
      } else {
        status(answer.error || ("上传没有成功（" + request.status + "），录音没有保存。"), true);
      }
      bar.hidden = true;
    };
    request.onerror = function () { status("网络中断，录音没有保存，请重新上传。", true); bar.hidden = true; };
    bar.hidden = false;
    bar.value = 0;
    status("正在上传 " + file.name + " …");
    request.send(file);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "recording-form") { return; }
    event.preventDefault();
    var file = form.elements.file.files[0];
    if (!file) { status("请先选择文件。", true); return; }
    if (file.size > parseInt(form.getAttribute("data-limit"), 10)) {
      status(file.name + "：文件过大，录音没有保存。", true);
      return;
    }
    send(form, file);
  });
})();
