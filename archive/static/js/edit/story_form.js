// Story form: live preview of the transcript (rendered and sanitized by the server,
// with sensitive-data warnings) and showing the new-narrator fields only when chosen.
(function () {
  "use strict";
  var body = document.getElementById("f-body");
  var preview = document.getElementById("preview");
  var warningsBox = document.getElementById("preview-warnings");
  var tokenHolder = document.querySelector("[data-csrf]");
  var timer = null;

  function showWarnings(warnings) {
    warningsBox.textContent = "";
    if (!warnings.length) { warningsBox.hidden = true; return; }
    var title = document.createElement("p");
    title.textContent = "可能含有个人敏感信息：";
    warningsBox.appendChild(title);
    var list = document.createElement("ul");
    warnings.forEach(function (w) {
      var item = document.createElement("li");
      item.textContent = "第 " + w.line + " 行：" + w.label + " " + w.masked;
      list.appendChild(item);
    });
    warningsBox.appendChild(list);
    warningsBox.hidden = false;
  }

  function refresh() {
    if (!body || !preview || !tokenHolder) { return; }
    fetch(body.dataset.previewUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": tokenHolder.dataset.csrf},
      body: JSON.stringify({body: body.value})
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (data) {
      preview.innerHTML = data.html;  // sanitized server-side (archive.render)
      showWarnings(data.warnings || []);
    }).catch(function () {
      preview.textContent = "预览暂时不可用（不影响保存）。";
    });
  }

  if (body) {
    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    if (body.value) { refresh(); }
  }

  var choice = document.getElementById("f-person_choice");
  var newPerson = document.getElementById("new-person");
  function toggle() { newPerson.hidden = choice.value !== "__new__"; }
  if (choice && newPerson) { choice.addEventListener("change", toggle); toggle(); }
}());
