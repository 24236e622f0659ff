/* escalation-graph views: draws the page's JSON data with vis-network, shows details as
   plain text (textContent; never innerHTML, so quoted markup stays text), filters the
   graph view, and paints the timeline's lanes, date axis and date ranges. */
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("escgraph-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("network"), {}, data.options);
  var physics = Boolean(data.options.physics && data.options.physics.enabled);
  var view = { kind: data.kind, nodes: nodes, edges: edges, network: network, ready: false, readyAt: null };
  window.escgraph = view;

  /* Ready = the first frame with every node in place has been drawn. */
  function finish() {
    network.once("afterDrawing", function () {
      view.ready = true;
      view.readyAt = performance.now();
      document.body.setAttribute("data-ready", "true");
    });
    network.redraw();
  }
  if (physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      finish();
    });
  }

  /* Large graphs: an edge's label is drawn only while the edge, or its node, is chosen. */
  if (data.edgeLabelsOnSelect) {
    network.setOptions({ edges: { chosen: { label: function (values) { values.size = 13; } } } });
  }

  /* ---------------------------------------------------------------- details panel */
  var detailsText = document.getElementById("details-text");
  var detailsLink = document.getElementById("details-link");
  var detailsHint = document.getElementById("details-hint");

  function safeHref(link) {
    if (typeof link !== "string") { return null; }
    try {
      var url = new URL(link);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function showDetails(id) {
    var item = nodes.get(id) || edges.get(id);
    detailsHint.hidden = Boolean(item);
    detailsText.textContent = item ? String(item.title || item.label || "") : "";
    var href = item ? safeHref(item.link) : null;
    if (href) {
      detailsLink.href = href;
      detailsLink.textContent = "Open the source: " + href;
      detailsLink.hidden = false;
    } else {
      detailsLink.removeAttribute("href");
      detailsLink.textContent = "";
      detailsLink.hidden = true;
    }
  }
  view.showDetails = showDetails;
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(params.nodes[0]); }
    else if (params.edges.length) { showDetails(params.edges[0]); }
  });

  /* ---------------------------------------------------------------- graph view filters */
  var form = document.getElementById("filters");
  if (form) {
    var actorIndex = data.filters.actors;
    var isAct = {};
    var kindOf = {};
    nodes.forEach(function (node) {
      kindOf[node.id] = node.kind;
      isAct[node.id] = node.earliest !== undefined;
    });

    /* The actors a text names (exactly, else by substring), and those who act for them. */
    var matchActors = function (text) {
      text = text.trim().toLowerCase();
      if (!text) { return null; }
      var exact = actorIndex.filter(function (a) { return a.names.indexOf(text) >= 0; });
      var chosen = exact.length ? exact : actorIndex.filter(function (a) {
        return a.names.some(function (name) { return name.indexOf(text) >= 0; });
      });
      var covered = new Set();
      chosen.forEach(function (a) { a.covers.forEach(function (id) { covered.add(id); }); });
      return covered;
    };

    var applyFilters = function () {
      var kinds = {};
      form.querySelectorAll("input[name=kind]").forEach(function (box) { kinds[box.value] = box.checked; });
      var from = form.elements.from.value || null;
      var to = form.elements.to.value || null;
      var covered = matchActors(form.elements.actor.value);
      var narrowed = from !== null || to !== null || covered !== null;
      var visible = new Set();
      nodes.forEach(function (node) {
        if (kinds[node.kind] === false) { return; }
        if (!isAct[node.id]) {
          if (!narrowed || (covered !== null && covered.has(node.id))) { visible.add(node.id); }
          return;
        }
        if (from !== null && (node.latest || node.earliest) < from) { return; }
        if (to !== null && node.earliest > to) { return; }
        if (covered !== null && !(node.actors || []).some(function (a) { return covered.has(a); })) { return; }
        visible.add(node.id);
      });
      if (narrowed) {
        /* Keep the actors and sources that the acts left in view touch. */
        edges.forEach(function (edge) {
          [[edge.from, edge.to], [edge.to, edge.from]].forEach(function (pair) {
            if (isAct[pair[0]] && visible.has(pair[0]) && !isAct[pair[1]] && kinds[kindOf[pair[1]]] !== false) {
              visible.add(pair[1]);
            }
          });
        });
      }
      var changes = [];
      nodes.forEach(function (node) {
        var hidden = !visible.has(node.id);
        if (Boolean(node.hidden) !== hidden) { changes.push({ id: node.id, hidden: hidden }); }
      });
      nodes.update(changes);
      form.elements.count.value = "showing " + visible.size + " of " + nodes.length + " nodes";
    };
    view.applyFilters = applyFilters;
    form.addEventListener("input", applyFilters);
    form.addEventListener("change", applyFilters);
    form.addEventListener("reset", function () { setTimeout(applyFilters, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); applyFilters(); });
  }

  /* ---------------------------------------------------------------- timeline canvas */
  if (data.timeline) {
    var t = data.timeline;
    network.on("beforeDrawing", function (ctx) {
      t.lanes.forEach(function (lane) {
        ctx.fillStyle = lane.fill;
        ctx.fillRect(t.left, lane.top, t.right - t.left, lane.bottom - lane.top);
        ctx.fillStyle = lane.colour;
        ctx.font = "bold 20px system-ui, sans-serif";
        ctx.textBaseline = "top";
        ctx.fillText(lane.label, t.left + 12, lane.top + 8);
      });
      ctx.lineWidth = 1;
      ctx.font = "15px system-ui, sans-serif";
      ctx.textBaseline = "bottom";
      t.ticks.forEach(function (tick) {
        ctx.strokeStyle = tick.major ? "#9ca3af" : "#e5e7eb";
        ctx.beginPath();
        ctx.moveTo(tick.x, t.top - 6);
        ctx.lineTo(tick.x, t.bottom);
        ctx.stroke();
        if (tick.label) {
          ctx.fillStyle = "#374151";
          ctx.fillText(tick.label, tick.x + 4, t.top - 8);
        }
      });
      ctx.fillStyle = "#6b7280";
      ctx.font = "bold 18px system-ui, sans-serif";
      t.breaks.forEach(function (gap) {
        ctx.fillText("≈", gap.x - 6, t.bottom + 24);
        ctx.setLineDash([4, 6]);
        ctx.strokeStyle = "#9ca3af";
        ctx.beginPath();
        ctx.moveTo(gap.x, t.top);
        ctx.lineTo(gap.x, t.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
      });
      ctx.lineCap = "round";
      t.ranges.forEach(function (range) {
        ctx.strokeStyle = range.colour;
        ctx.globalAlpha = 0.35;
        ctx.lineWidth = 5;
        ctx.beginPath();
        ctx.moveTo(range.x0, range.y);
        ctx.lineTo(range.x1, range.y);
        ctx.stroke();
      });
      ctx.globalAlpha = 1;
    });
  }

  /* Fit the whole drawing: the timeline's lanes and axis reach beyond its nodes. */
  function fitView() {
    if (!data.timeline) {
      network.fit();
      return;
    }
    var box = document.getElementById("network").getBoundingClientRect();
    var top = data.timeline.top - 40;
    var bottom = data.timeline.bottom + 40;
    var width = data.timeline.right - data.timeline.left;
    network.moveTo({
      position: { x: (data.timeline.left + data.timeline.right) / 2, y: (top + bottom) / 2 },
      scale: Math.min(box.width / width, box.height / (bottom - top)) * 0.98
    });
  }
  view.fitView = fitView;

  network.setData({ nodes: nodes, edges: edges });
  if (!physics) {
    fitView();
    finish();
  }
}());
