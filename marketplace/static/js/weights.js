// Criteria sliders that always add up to 100: moving one spreads the difference over the others
// in proportion to their current values. Works on any element with [data-weights] or [data-whatif].
(function () {
  "use strict";

  function setup(root) {
    var sliders = Array.prototype.slice.call(root.querySelectorAll("input[data-weight]"));
    if (!sliders.length) { return; }
    var total = root.querySelector("[data-total]");

    function show() {
      var sum = 0;
      sliders.forEach(function (s) {
        var out = root.querySelector('[data-output="' + s.dataset.weight + '"]');
        if (out) { out.textContent = s.value; }
        sum += parseInt(s.value, 10) || 0;
      });
      if (total) { total.textContent = String(sum); }
    }

    function rebalance(moved) {
      var others = sliders.filter(function (s) { return s !== moved; });
      var want = 100 - (parseInt(moved.value, 10) || 0);
      var have = others.reduce(function (acc, s) { return acc + (parseInt(s.value, 10) || 0); }, 0);
      var values = others.map(function (s) {
        var v = parseInt(s.value, 10) || 0;
        return have > 0 ? (v * want) / have : want / others.length;
      });
      var rounded = values.map(Math.floor);
      var rest = want - rounded.reduce(function (a, b) { return a + b; }, 0);
      var order = values.map(function (v, i) { return [v - Math.floor(v), i]; }).sort(function (a, b) { return b[0] - a[0]; });
      for (var k = 0; k < rest; k++) { rounded[order[k % order.length][1]] += 1; }
      others.forEach(function (s, i) { s.value = String(rounded[i]); });
    }

    sliders.forEach(function (s) {
      s.addEventListener("input", function () {
        rebalance(s);
        show();
        root.dispatchEvent(new CustomEvent("weights-changed", { bubbles: true }));
      });
    });
    show();
  }

  document.querySelectorAll("[data-weights], [data-whatif]").forEach(setup);
})();
