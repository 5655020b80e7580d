// kolmap's large-map page: draws the map kolmap laid out with sigma.js (WebGL) and graphology.
// Social data never becomes markup: sigma draws labels on a canvas; the tooltip, the details
// panel, the legend and the search matches are filled with textContent.
(function () {
  "use strict";
  var t0 = performance.now();
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var timings = { parse: performance.now() - t0 };
  var N = data.names.length, E = data.weights.length, EDGES = data.edges;
  var container = document.getElementById("map");
  var state = { nodes: N, edges: E, firstRenderMs: null, frames: 0, error: null,
                timings: timings };
  window.kolmapMap = { kind: "webgl", visible: state };

  // -- node attributes --------------------------------------------------------------------
  function idOf(i) { return data.ids[i] === 0 ? data.names[i] : data.ids[i]; }
  function value(col, i) {
    if (col.c !== undefined) return col.c;
    if (col.t) return col.i[i] < 0 ? undefined : col.t[col.i[i]];
    var v = col.v[i];
    if (v === null) return undefined;
    return col.ref && v === 0 ? data.names[i] : v;
  }
  var colByKey = {};
  data.cols.forEach(function (c) { colByKey[c.k] = c; });
  function attr(key, i) { return colByKey[key] ? value(colByKey[key], i) : undefined; }
  function details(i) {
    var out = [];
    data.cols.forEach(function (c) {
      var v = value(c, i);
      if (v !== undefined) out.push([c.k, v]);
    });
    return out;
  }
  var TOOLTIP_KEYS = ["label", "display_name", "role", "specialty", "score", "influence",
                      "community", "followers"];

  // -- sizes and colours ------------------------------------------------------------------
  function rgba(hex, alpha) {
    var h = /^#([0-9a-f]{6})$/i.exec(hex) ? hex.slice(1) : "999999";
    return "rgba(" + parseInt(h.slice(0, 2), 16) + "," + parseInt(h.slice(2, 4), 16) + "," +
      parseInt(h.slice(4, 6), 16) + "," + alpha + ")";
  }
  var base = Math.min(3, Math.max(0.8, 3 * Math.sqrt(1000 / Math.max(N, 1))));
  function px(size) { return base + Math.max(0, size - 5) / 45 * 12; }
  var edgeAlpha = Math.min(0.35, Math.max(0.06, 12 / Math.sqrt(Math.max(E, 1))));
  var edgeColours = data.colours.map(function (c) { return rgba(c, edgeAlpha); });
  var wmax = 0;
  data.weights.forEach(function (w) { if (w > wmax) wmax = w; });
  var wlog = Math.log1p(Math.max(wmax, 1e-9));
  var MOVE_EDGES = 30000;  // above this many relations, edges are hidden during a pan
  // Above this size, nodes are drawn as points and relations as hairlines. sigma's default
  // programs draw each node and relation as an instance of a small triangle mesh; software
  // WebGL (SwiftShader, any machine without a GPU) pays about 45 us per instance, so a frame
  // of 44,000 nodes took 2 s and one with 200,000 relations 7 s. Points and lines are one
  // and two vertices with no instancing: 0.12 s and 0.85 s (docs/benchmarks.md, "Maps").
  var FAST_DRAW = N > 2000 || E > 10000;
  state.drawing = FAST_DRAW ? "points and lines" : "discs and bands";
  var LABELLED = 60;  // about this many of the largest nodes carry a label before zooming in
  var bySize = data.size.slice().sort(function (a, b) { return b - a; });
  var labelThreshold = N ? Math.max(6, px(bySize[Math.min(N, LABELLED) - 1]) - 0.01) : 6;

  // -- the graph ------------------------------------------------------------------------
  var graph = new graphology.Graph({ type: "directed", multi: false, allowSelfLoops: true });
  for (var i = 0; i < N; i++) {
    graph.addNode(i, {
      x: data.x[i], y: -data.y[i], size: px(data.size[i]), label: String(data.names[i]),
      color: data.colours[data.colour[i]], i: i
    });
  }
  for (var j = 0; j < E; j++) {
    var s = EDGES[3 * j], t = EDGES[3 * j + 1];  // one edge per ordered pair (a DiGraph)
    graph.addDirectedEdgeWithKey(j, s, t, {
      size: 0.4 + 1.2 * Math.log1p(data.weights[j]) / wlog,
      color: edgeColours[data.colour[s]], i: j
    });
  }

  timings.graph = performance.now() - t0;

  // -- filters: legend groups, relation types, k-core, ego ------------------------------
  var hiddenGroup = {}, typeOn = {}, boxes = {};
  data.types.forEach(function (t) { typeOn[t] = true; });
  var relOn = new Uint8Array(data.relations.length);
  var nodeHidden = new Uint8Array(N), edgeHidden = new Uint8Array(E);
  var core = null, kmin = 0, ego = null, selected = -1;
  function apply(initial) {
    data.relations.forEach(function (combo, r) {
      relOn[r] = combo.split(",").some(function (t) { return typeOn[t]; }) ? 1 : 0;
    });
    var vn = 0, ve = 0;
    for (var i = 0; i < N; i++) {
      var hide = hiddenGroup[data.group[i]] || (core && core[i] < kmin) || (ego && !ego.has(i));
      nodeHidden[i] = hide ? 1 : 0;
      if (!hide) vn++;
    }
    for (var j = 0; j < E; j++) {
      var h = nodeHidden[EDGES[3 * j]] || nodeHidden[EDGES[3 * j + 1]] || !relOn[EDGES[3 * j + 2]];
      edgeHidden[j] = h ? 1 : 0;
      if (!h) ve++;
    }
    state.nodes = vn; state.edges = ve;
    document.getElementById("counts").textContent =
      vn.toLocaleString("en") + " of " + N.toLocaleString("en") + " accounts, " +
      ve.toLocaleString("en") + " of " + E.toLocaleString("en") + " relations shown";
    if (renderer && !initial) renderer.refresh();
  }

  var renderer = null;
  try {
    var programs = FAST_DRAW ? {
      defaultNodeType: "point",
      nodeProgramClasses: { point: Sigma.rendering.NodePointProgram },
      edgeProgramClasses: { line: Sigma.rendering.EdgeLineProgram }
    } : {};
    renderer = new Sigma(graph, container, Object.assign({
      defaultEdgeType: "line",
      renderEdgeLabels: false,
      enableEdgeEvents: false,
      // While panning or zooming a large map, draw the nodes only: without a GPU (software
      // WebGL) a frame of 200,000 hairlines still takes most of a second.
      hideEdgesOnMove: E > MOVE_EDGES,
      labelRenderedSizeThreshold: labelThreshold,
      labelDensity: 0.6,
      labelGridCellSize: 120,
      labelFont: "system-ui, sans-serif",
      labelSize: 12,
      labelColor: { color: "#222" },
      zIndex: true,
      minCameraRatio: 0.005,
      maxCameraRatio: 4,
      nodeReducer: function (key, d) {
        var i = d.i;
        if (nodeHidden[i]) return Object.assign({}, d, { hidden: true });
        if (i === selected) return Object.assign({}, d, { highlighted: true, forceLabel: true,
                                                          zIndex: 2 });
        return d;
      },
      edgeReducer: function (key, d) {
        return edgeHidden[d.i] ? Object.assign({}, d, { hidden: true }) : d;
      }
    }, programs));
  } catch (err) {
    state.error = String(err && err.message || err);
    var note = document.createElement("p");
    note.id = "map-error";
    note.textContent = "This map needs WebGL, which this browser does not offer (" +
      state.error + "). The GEXF export opens in Gephi.";
    container.appendChild(note);
  }
  timings.sigma = performance.now() - t0;
  apply(true);  // nothing hidden yet: sigma has drawn it all already
  timings.filters = performance.now() - t0;
  if (renderer) {
    renderer.on("afterRender", function () { state.frames++; });
    requestAnimationFrame(function () { state.firstRenderMs = performance.now(); });
  }

  // -- tooltip --------------------------------------------------------------------------
  var tooltip = document.getElementById("tooltip");
  function tooltipText(i) {
    return TOOLTIP_KEYS.map(function (k) {
      var v = attr(k, i);
      return v === undefined ? null : k + ": " + v;
    }).filter(function (line) { return line !== null; }).join("\n");
  }
  if (renderer) {
    renderer.on("enterNode", function (p) {
      var i = graph.getNodeAttribute(p.node, "i");
      tooltip.textContent = tooltipText(i);
      var x = p.event ? p.event.x : 0, y = p.event ? p.event.y : 0;
      tooltip.style.left = Math.min(x + 14, container.clientWidth - 330) + "px";
      tooltip.style.top = (y + 14) + "px";
      tooltip.style.display = "block";
      container.style.cursor = "pointer";
    });
    renderer.on("leaveNode", function () {
      tooltip.style.display = "none";
      container.style.cursor = "";
    });
    renderer.on("clickNode", function (p) { select(graph.getNodeAttribute(p.node, "i"), false); });
  }

  // -- legend ---------------------------------------------------------------------------
  var legendBox = document.getElementById("legend");
  document.getElementById("legend-title").textContent =
    data.legend.mode === "community" ? "Communities (0: the largest in the scope)" : "Roles";
  data.legend.entries.forEach(function (entry, g) {
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.value = entry.key;
    box.addEventListener("change", function () { hiddenGroup[g] = !box.checked; apply(); });
    boxes[g] = box;
    var swatch = document.createElement("span");
    swatch.className = "swatch"; swatch.style.background = entry.colour;
    label.dataset.colour = entry.colour;
    label.appendChild(box); label.appendChild(swatch);
    label.appendChild(document.createTextNode(entry.label));
    legendBox.appendChild(label);
  });

  // -- relation types -------------------------------------------------------------------
  var perType = {};
  for (var e = 0; e < E; e++) {
    data.relations[EDGES[3 * e + 2]].split(",").forEach(function (t) {
      perType[t] = (perType[t] || 0) + 1;
    });
  }
  var typesBox = document.getElementById("types");
  data.types.forEach(function (type) {
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.value = type;
    box.addEventListener("change", function () { typeOn[type] = box.checked; apply(); });
    label.appendChild(box);
    var n = perType[type] || 0;
    label.appendChild(document.createTextNode(" " + type + " · " + n.toLocaleString("en") +
      " relation" + (n === 1 ? "" : "s")));
    typesBox.appendChild(label);
  });

  // -- k-core (Batagelj–Zaversnik on the undirected graph) ------------------------------
  function coreness() {
    // Undirected simple adjacency in CSR arrays, straight from the edge list.
    var start = new Int32Array(N + 1), deg = new Int32Array(N), v, a;
    for (var e = 0; e < E; e++) {
      if (EDGES[3 * e] !== EDGES[3 * e + 1]) { start[EDGES[3 * e] + 1]++; start[EDGES[3 * e + 1] + 1]++; }
    }
    for (v = 0; v < N; v++) start[v + 1] += start[v];
    var fill = start.slice(0, N), raw = new Int32Array(start[N]);
    for (e = 0; e < E; e++) {
      var p = EDGES[3 * e], q = EDGES[3 * e + 1];
      if (p !== q) { raw[fill[p]++] = q; raw[fill[q]++] = p; }
    }
    var nb = new Int32Array(start[N]), at = 0;
    for (v = 0; v < N; v++) {  // sort each list, drop the pairs linked both ways
      var list = raw.subarray(start[v], start[v + 1]).sort(), from = at;
      for (a = 0; a < list.length; a++) if (a === 0 || list[a] !== list[a - 1]) nb[at++] = list[a];
      start[v] = from;
      deg[v] = at - from;
    }
    start[N] = at;
    var md = 0;
    for (v = 0; v < N; v++) if (deg[v] > md) md = deg[v];
    var bin = new Int32Array(md + 1), pos = new Int32Array(N), vert = new Int32Array(N);
    for (v = 0; v < N; v++) bin[deg[v]]++;
    for (var d = 0, acc = 0; d <= md; d++) { var c = bin[d]; bin[d] = acc; acc += c; }
    for (v = 0; v < N; v++) { pos[v] = bin[deg[v]]; vert[pos[v]] = v; bin[deg[v]]++; }
    for (d = md; d > 0; d--) bin[d] = bin[d - 1];
    bin[0] = 0;
    for (var k = 0; k < N; k++) {
      v = vert[k];
      for (var a = start[v]; a < start[v + 1]; a++) {
        var u = nb[a];
        if (deg[u] > deg[v]) {
          var du = deg[u], pu = pos[u], pw = bin[du], w = vert[pw];
          if (u !== w) { pos[u] = pw; vert[pu] = w; pos[w] = pu; vert[pw] = u; }
          bin[du]++; deg[u]--;
        }
      }
    }
    return deg;
  }
  var coreInput = document.getElementById("core"), coreLabel = document.getElementById("core-label");
  function coreText() {
    var n = 0;
    if (core) for (var i = 0; i < N; i++) if (core[i] >= kmin) n++;
    coreLabel.textContent = "Minimum k-core: " + kmin + " (" + n.toLocaleString("en") +
      " accounts with " + kmin + "+ neighbours that also have " + kmin + "+)";
  }
  setTimeout(function () {
    var c0 = performance.now();
    core = coreness();
    timings.core = performance.now() - c0;
    var max = 0;
    for (var i = 0; i < N; i++) if (core[i] > max) max = core[i];
    coreInput.max = String(max);
    state.maxCore = max;
    coreText();
  }, 0);
  coreInput.addEventListener("input", function () {
    kmin = +coreInput.value; coreText(); apply();
  });

  // -- ego ------------------------------------------------------------------------------
  var egoBox = document.getElementById("ego"), ego2Box = document.getElementById("ego2");
  function setEgo() {
    if (!egoBox.checked || selected < 0) { ego = null; apply(); return; }
    var steps = ego2Box.checked ? 2 : 1;
    var seen = new Set([selected]), frontier = [selected];
    for (var s = 0; s < steps; s++) {
      var next = [];
      frontier.forEach(function (v) {
        graph.forEachNeighbor(String(v), function (u) {
          if (!seen.has(+u)) { seen.add(+u); next.push(+u); }
        });
      });
      frontier = next;
    }
    ego = seen;
    apply();
  }
  egoBox.addEventListener("change", setEgo);
  ego2Box.addEventListener("change", setEgo);

  // -- "Open profile": the app's window when it is reachable (same origin), else a new tab.
  function openInApp(url) {
    try {
      var app = window.parent;
      if (!app || app === window) return false;
      var target = new URL(url, app.location.href);
      if (target.origin !== app.location.origin) return false;
      app.history.pushState(null, "", target.href);
      app.dispatchEvent(new app.PopStateEvent("popstate", { state: null }));
      return true;
    } catch (err) {
      return false;
    }
  }
  function profileLink(i) {
    var link = document.createElement("a");
    link.href = data.profile + encodeURIComponent(idOf(i));
    link.target = "_blank"; link.rel = "noopener";
    link.textContent = "Open profile";
    link.addEventListener("click", function (ev) {
      if (openInApp(link.href)) ev.preventDefault();
    });
    return link;
  }

  var detailsBox = document.getElementById("details");
  function show(i) {
    detailsBox.replaceChildren();
    if (data.profile && attr("identity", i) === "named") detailsBox.appendChild(profileLink(i));
    details(i).forEach(function (kv) {
      var dt = document.createElement("dt"); dt.textContent = kv[0];
      var dd = document.createElement("dd"); dd.textContent = String(kv[1]);
      detailsBox.appendChild(dt); detailsBox.appendChild(dd);
    });
  }
  function select(i, focus) {
    if (i < 0 || i >= N) return;
    selected = i;
    if (hiddenGroup[data.group[i]]) {  // a match in a group the legend hides: show it again
      hiddenGroup[data.group[i]] = false; boxes[data.group[i]].checked = true;
    }
    if (core && core[i] < kmin) { kmin = 0; coreInput.value = "0"; coreText(); }
    egoBox.disabled = ego2Box.disabled = false;
    if (egoBox.checked) setEgo(); else apply();
    show(i);
    if (focus && renderer) {
      var d = renderer.getNodeDisplayData(String(i));
      var camera = renderer.getCamera();
      if (d) camera.animate({ x: d.x, y: d.y, ratio: Math.min(camera.ratio, 0.15) },
                            { duration: 300 });
    }
    Array.prototype.forEach.call(matchList.children, function (item) {
      item.firstChild.classList.toggle("current", item.dataset.index === String(i));
    });
  }

  // -- search: an exact name, handle or display name first, then the largest matches ----
  var SHOWN = 8;
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  var matchList = document.getElementById("matches");
  function lower(v) { return v == null ? "" : String(v).toLowerCase(); }
  var haystack = null;
  function matches(q) {
    if (!haystack) {
      haystack = [];
      for (var i = 0; i < N; i++) {
        haystack.push([lower(data.names[i]), lower(attr("handle", i)),
                       lower(attr("display_name", i))]);
      }
    }
    var exact = [], partial = [];
    for (var k = 0; k < N; k++) {
      var names = haystack[k];
      if (names.indexOf(q) >= 0) exact.push(k);
      else if (names[0].indexOf(q) >= 0 || names[1].indexOf(q) >= 0 ||
               names[2].indexOf(q) >= 0) partial.push(k);
    }
    function larger(a, b) {
      return (data.size[b] - data.size[a]) ||
        ((attr("influence", b) || 0) - (attr("influence", a) || 0)) ||
        ((attr("score", b) || 0) - (attr("score", a) || 0)) ||
        (haystack[a][0] < haystack[b][0] ? -1 : haystack[a][0] > haystack[b][0] ? 1 : 0);
    }
    return exact.sort(larger).concat(partial.sort(larger));
  }
  var found = [];
  function list() {
    var q = search.value.trim().toLowerCase();
    matchList.replaceChildren();
    found = q ? matches(q) : [];
    if (!q) { status.textContent = ""; return; }
    if (!found.length) {
      status.textContent = "No account matches \u201c" + search.value.trim() + "\u201d.";
      return;
    }
    status.textContent = found.length === 1 ? "1 account matches:" : found.length +
      " accounts match" + (found.length > SHOWN ? ", the " + SHOWN + " largest:" : ":");
    found.slice(0, SHOWN).forEach(function (i) {
      var item = document.createElement("li");
      item.dataset.index = String(i);
      item.dataset.id = String(idOf(i));
      var button = document.createElement("button");
      button.type = "button";
      var extra = [attr("display_name", i), attr("role", i)].filter(function (v) { return v; });
      button.textContent = String(data.names[i]) +
        (extra.length ? " \u2014 " + extra.join(", ") : "");
      button.title = button.textContent;
      button.addEventListener("click", function () { select(i, true); });
      item.appendChild(button);
      matchList.appendChild(item);
    });
  }
  search.addEventListener("input", list);
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    list();
    if (found.length) select(found[0], true);
  });

  window.kolmapMap = {
    kind: "webgl", visible: state, renderer: renderer, graph: graph, select: select,
    indexOf: function (id) {
      for (var i = 0; i < N; i++) if (String(idOf(i)) === String(id)) return i;
      return -1;
    }
  };
})();
