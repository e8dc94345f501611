// The filter bar folds into one control on a phone; on a wide screen it is open.
(function () {
  "use strict";
  var bar = document.getElementById("filter-bar");
  if (!bar || !window.matchMedia) { return; }
  if (window.matchMedia("(min-width: 48em)").matches) { bar.open = true; }
})();
