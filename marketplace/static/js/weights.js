// Criteria sliders that keep their total: moving one spreads the difference over the others in
// proportion to their current values, and a live sum shows the total. A convenience only: the server
// judges the weights (domain.criteria.Weights) and renders what this script needs, so the rule is not
// written here: the total in data-weights-total on the root, each slider's bounds in its min and max.
// Works on any element with [data-weights] or [data-whatif].
(function () {
  "use strict";

  function whole(value) { return parseInt(value, 10) || 0; }

  function setup(root) {
    var sliders = Array.prototype.slice.call(root.querySelectorAll("input[data-weight]"));
    if (!sliders.length) { return; }
    var totalOut = root.querySelector("[data-total]");
    // Without the page's total the sliders only show their sum; they do not rebalance.
    var wanted = root.dataset.weightsTotal === undefined ? null : whole(root.dataset.weightsTotal);

    function show() {
      var sum = 0;
      sliders.forEach(function (s) {
        var out = root.querySelector('[data-output="' + s.dataset.weight + '"]');
        if (out) { out.textContent = s.value; }
        sum += whole(s.value);
      });
      if (totalOut) { totalOut.textContent = String(sum); }
    }

    function rebalance(moved) {
      var others = sliders.filter(function (s) { return s !== moved; });
      var want = wanted - whole(moved.value);
      var have = others.reduce(function (acc, s) { return acc + whole(s.value); }, 0);
      var values = others.map(function (s) {
        var v = whole(s.value);
        return have > 0 ? (v * want) / have : want / others.length;
      });
      var rounded = values.map(Math.floor);
      var rest = want - rounded.reduce(function (a, b) { return a + b; }, 0);
      var order = values.map(function (v, i) { return [v - Math.floor(v), i]; }).sort(function (a, b) { return b[0] - a[0]; });
      for (var k = 0; k < rest; k++) { rounded[order[k % order.length][1]] += 1; }
      // the browser keeps each slider within its own min and max
      others.forEach(function (s, i) { s.value = String(rounded[i]); });
    }

    sliders.forEach(function (s) {
      // Enter on a slider must not submit the form (a keyboard user moving weights is not done yet).
      s.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }
      });
      s.addEventListener("input", function () {
        if (wanted !== null) { rebalance(s); }
        show();
        root.dispatchEvent(new CustomEvent("weights-changed", { bubbles: true }));
      });
    });
    show();
  }

  document.querySelectorAll("[data-weights], [data-whatif]").forEach(setup);
})();
