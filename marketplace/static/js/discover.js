// What-if re-ranking on the discovery page: when the SME moves a criteria slider, ask the API for
// the ranking under the new weights and redraw the list, without reloading the page.
(function () {
  "use strict";
  var panel = document.querySelector("[data-whatif]");
  var list = document.querySelector("[data-results]");
  if (!panel || !list) { return; }
  var endpoint = panel.dataset.endpoint;
  var names = JSON.parse(document.getElementById("contribution-names").textContent);
  var timer = null;
  var seq = 0;

  function weights() {
    return Array.prototype.map.call(panel.querySelectorAll("input[data-weight]"), function (s) {
      return s.dataset.weight + ":" + s.value;
    }).join(",");
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function bar(value) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "bar");
    svg.setAttribute("width", "120");
    svg.setAttribute("height", "10");
    svg.setAttribute("viewBox", "0 0 120 10");
    var track = document.createElementNS(ns, "rect");
    track.setAttribute("class", "bar-track");
    track.setAttribute("width", "120");
    track.setAttribute("height", "10");
    svg.appendChild(track);
    var fill = document.createElementNS(ns, "rect");
    fill.setAttribute("class", value >= 0 ? "bar-pos" : "bar-neg");
    fill.setAttribute("width", String(Math.min(Math.abs(value) * 240, 120).toFixed(1)));
    fill.setAttribute("height", "10");
    svg.appendChild(fill);
    return svg;
  }

  function inviteControl(item) {
    if (item.invited) { return el("span", "badge text-bg-success", panel.dataset.invitedLabel); }
    if (!panel.dataset.inviteUrl) { return el("span"); }
    var form = el("form");
    form.method = "post";
    form.action = panel.dataset.inviteUrl;
    [["csrf_token", panel.dataset.csrf], ["vendor_id", String(item.vendor_id)]].forEach(function (pair) {
      var input = el("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    form.appendChild(el("button", "btn btn-sm btn-outline-success", panel.dataset.inviteLabel));
    return form;
  }

  function render(items) {
    list.textContent = "";
    if (!items.length) {
      list.appendChild(el("li", "text-secondary", list.dataset.empty || "—"));
      return;
    }
    items.forEach(function (item, i) {
      var li = el("li", "card mb-3");
      li.dataset.testid = "match";
      li.setAttribute("data-testid", "match");
      li.dataset.offering = String(item.offering_id);
      var body = el("div", "card-body");
      var head = el("div", "d-flex justify-content-between flex-wrap gap-2");
      var left = el("div");
      left.appendChild(el("span", "rank", String(i + 1)));
      var link = el("a", "fw-bold", item.title);
      link.href = item.url;
      link.setAttribute("data-testid", "match-title");
      left.appendChild(link);
      left.appendChild(el("div", "small text-secondary", item.vendor_name + " · " + item.price_text));
      if (item.recommended_by) {
        left.appendChild(el("span", "badge text-bg-info", panel.dataset.recommendedLabel.replace("%s", item.recommended_by)));
      }
      head.appendChild(left);
      var right = el("div", "text-end");
      right.appendChild(el("span", "badge text-bg-primary fs-6", item.score.toFixed(2)));
      head.appendChild(right);
      body.appendChild(head);
      var row = el("div", "row mt-2");
      var bars = el("dl", "contrib mb-0");
      Object.keys(item.contributions).forEach(function (key) {
        bars.appendChild(el("dt", "", names[key] || key));
        var dd = el("dd");
        dd.appendChild(bar(item.contributions[key]));
        var v = item.contributions[key];
        dd.appendChild(el("span", "small text-secondary", " " + (v >= 0 ? "+" : "") + v.toFixed(2)));
        bars.appendChild(dd);
      });
      var c1 = el("div", "col-md-5");
      c1.appendChild(bars);
      var c2 = el("div", "col-md-7");
      var reasons = el("ul", "small mb-2");
      reasons.setAttribute("data-testid", "reasons");
      item.reasons.forEach(function (r) { reasons.appendChild(el("li", "", r)); });
      c2.appendChild(reasons);
      c2.appendChild(inviteControl(item));
      row.appendChild(c1);
      row.appendChild(c2);
      body.appendChild(row);
      li.appendChild(body);
      list.appendChild(li);
    });
  }

  // Screen readers hear that the ranking changed (and what is first now), not the whole list again.
  var status = document.querySelector("[data-announce]");
  function announce(items) {
    if (!status) { return; }
    var first = items.length ? items[0].title : (list.dataset.empty || "—");
    status.textContent = (status.dataset.announceLabel || "%s").replace("%s", first);
  }

  function refresh() {
    var mine = ++seq;
    var params = new URLSearchParams(window.location.search);
    params.set("weights", weights());
    params.set("top", "20");
    list.setAttribute("aria-busy", "true");
    fetch(endpoint + "?" + params.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { if (mine === seq) { render(data.items); announce(data.items); } })
      .catch(function () { /* keep the last ranking on error */ })
      .finally(function () { if (mine === seq) { list.removeAttribute("aria-busy"); } });
  }

  panel.addEventListener("weights-changed", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 200);
  });
})();
