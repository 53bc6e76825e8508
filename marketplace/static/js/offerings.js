// Offering form: show each criterion slider's value next to it while it moves.
(function () {
  "use strict";
  document.querySelectorAll("input[type=range][data-output]").forEach(function (input) {
    var output = document.getElementById(input.getAttribute("data-output"));
    if (!output) { return; }
    var show = function () { output.textContent = input.value; };
    input.addEventListener("input", show);
    show();
  });
})();
