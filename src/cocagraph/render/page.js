// cocagraph map page: draws the network from the JSON data block and wires the legend, search,
// filters and evidence panel. Every string from the data is written with textContent; only
// http(s) links become clickable. The vis Network stays reachable as the global `network`.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cocagraph-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("map");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.network = network;
  window.cocagraphData = data;

  // vis focuses its canvas on every mouse move (autoFocus, off in the options) and focusing
  // scrolls the page to the canvas: the first click then missed. Focus on a press, in place.
  container.addEventListener("pointerdown", function () {
    var frame = container.querySelector(".vis-network");
    if (frame && document.activeElement !== frame) frame.focus({ preventScroll: true });
  }, true);

  // A map with nothing to draw says so instead of showing a blank canvas.
  if (!data.nodes.length) {
    container.hidden = true;
    document.getElementById("empty").hidden = false;
    document.body.setAttribute("data-ready", "1");  // nothing will be drawn
  }

  // ---------------------------------------------------------------- the foldable panel
  var body = document.body;
  var toggle = document.getElementById("panel-toggle");
  function setFolded(folded) {
    body.classList.toggle("folded", folded);
    toggle.setAttribute("aria-expanded", folded ? "false" : "true");
    toggle.textContent = folded ? "Show panel" : "Hide panel";
    network.redraw();
  }
  // On a phone the panel would cover the map: it starts folded there, except on the tour, whose
  // steps are the page (the panel then takes the lower part and maps fit above it: fitTo).
  var phone = window.matchMedia("(max-width: 760px)").matches;
  if (data.tour && data.tour.length) body.classList.add("touring");
  setFolded(phone && !(data.tour && data.tour.length));
  toggle.addEventListener("click", function () {
    setFolded(!body.classList.contains("folded"));
  });
  fitTo(null);

  network.once("afterDrawing", function () {
    // Positions come precomputed and physics is off: the first drawing is the still map.
    window.cocagraphReadyAt = performance.now();
    window.cocagraphReady = true;
    document.body.setAttribute("data-ready", "1");
  });

  // The whole of ``ids`` (default: every node shown) in view, as large as fits. vis's own fit()
  // keeps a tenth of the view empty: labels then drew smaller than they need to.
  function fitTo(ids) {
    ids = (ids || network.body.nodeIndices).filter(function (id) {
      var n = network.body.nodes[id];
      return n && !n.options.hidden;
    });
    var rect = container.getBoundingClientRect();
    if (!ids.length || !rect.width || !rect.height) return;
    var box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    // Sizes from the bounding boxes, centres from the positions (a box lags a moved node until drawn).
    var at = network.getPositions(ids);
    ids.forEach(function (id) {
      var b = network.getBoundingBox(id), c = at[id];
      var dx = c.x - (b.left + b.right) / 2, dy = c.y - (b.top + b.bottom) / 2;
      box.left = Math.min(box.left, b.left + dx); box.right = Math.max(box.right, b.right + dx);
      box.top = Math.min(box.top, b.top + dy); box.bottom = Math.max(box.bottom, b.bottom + dy);
    });
    // Curved arrows between them may bow beyond their boxes (on a small map, where there is room).
    var fitted = {};
    ids.forEach(function (id) { fitted[id] = true; });
    if (ids.length <= 400) {
      network.body.edgeIndices.forEach(function (eid) {
        var e = network.body.edges[eid];
        if (!e || e.options.hidden || !e.options.smooth || !e.options.smooth.enabled) return;
        if (!fitted[e.fromId] || !fitted[e.toId]) return;
        [0.25, 0.5, 0.75].forEach(function (t) {
          var p = e.edgeType.getPoint(t);
          box.left = Math.min(box.left, p.x); box.right = Math.max(box.right, p.x);
          box.top = Math.min(box.top, p.y); box.bottom = Math.max(box.bottom, p.y);
        });
      });
    }
    // A panel lying over the map's lower part (a phone) hides what is under it: fit above it.
    var panel = document.getElementById("panel"), covered = 0;
    if (!body.classList.contains("folded") && getComputedStyle(panel).position === "absolute") {
      covered = Math.max(0, Math.min(rect.height - 40, rect.bottom - panel.getBoundingClientRect().top));
    }
    var height = rect.height - covered;
    var scale = Math.min(rect.width / (box.right - box.left + 24), height / (box.bottom - box.top + 24), 1.5);
    network.moveTo({ position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 }, scale: scale,
      offset: { x: 0, y: -covered / 2 }, animation: false });
  }
  window.cocagraphFit = fitTo;

  // ---------------------------------------------------------------- small DOM helpers
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function safeUrl(value) {
    if (typeof value !== "string") return null;
    try {
      var url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }
  function linkOrText(value, text) {
    var href = safeUrl(value);
    if (!href) return el("span", text || value);
    var a = el("a", text || value);
    a.href = href;
    a.rel = "noopener noreferrer";
    return a;
  }
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[\u2018\u2019]/g, "'")
      .replace(/-/g, " ").toLowerCase().replace(/\s+/g, " ").trim();
  }
  function labelOf(id) {
    var info = data.info[id];
    return info ? info.label : id;
  }

  // ---------------------------------------------------------------- evidence panel
  var panel = document.getElementById("panel-body");
  function clearPanel() {
    while (panel.firstChild) panel.removeChild(panel.firstChild);
  }
  function claimBlock(id, heading) {
    var claim = data.claims[id];
    var box = el("article", null, "claim");
    if (!claim) {
      box.appendChild(el("p", id));
      return box;
    }
    if (heading) box.appendChild(el("h4", heading));
    box.appendChild(el("p", claim.label, "claim-label"));
    var facts = [];
    if (claim.type) facts.push(/ relation$/.test(claim.type) ? claim.type : claim.type + " claim");
    if (claim.standing) facts.push("standing: " + claim.standing);
    if (claim.signal) facts.push("signal words: \u201c" + claim.signal + "\u201d");
    if (claim.polarity !== undefined) facts.push(claim.polarity > 0 ? "increases" : "decreases");
    facts.push(claim.certainty === "hedged" ? "hedged" + (claim.hedge ? " (\u201c" + claim.hedge + "\u201d)" : "")
      : "asserted");
    facts.push(claim.explicitness === "inferred" ? "inferred by the curator" : "stated in the text");
    if (claim.asserted_by) facts.push("asserted by " + claim.asserted_by);
    box.appendChild(el("p", facts.join(" \u00b7 "), "claim-facts"));
    if (claim.reason) box.appendChild(el("p", "Why inferred: " + claim.reason, "claim-reason"));
    (claim.quotes || []).forEach(function (quote) {
      box.appendChild(el("blockquote", quote, "quote"));
    });
    if (claim.source) {
      var src = el("p", "Source: ", "claim-source");
      src.appendChild(linkOrText(claim.source, claim.source_title || claim.source));
      box.appendChild(src);
    }
    var id_line = el("p", null, "claim-id");
    id_line.appendChild(linkOrText(id, id));
    box.appendChild(id_line);
    return box;
  }
  function showNode(id) {
    var info = data.info[id];
    if (!info) return;
    clearPanel();
    panel.appendChild(el("h3", info.label));
    panel.appendChild(el("p", kindName(info.kind), "kind"));
    if (info.alt && info.alt.length) panel.appendChild(el("p", "Also: " + info.alt.join("; "), "meta"));
    if (info.themes.length) panel.appendChild(el("p", "Themes: " + info.themes.map(themeLabel).join(", "), "meta"));
    if (info.places.length) panel.appendChild(el("p", "Places: " + info.places.join(", "), "meta"));
    if (info.actors.length) panel.appendChild(el("p", "Actors: " + info.actors.join(", "), "meta"));
    if (info.change !== null && info.change !== undefined) {
      panel.appendChild(el("p", "What-if change: " + (info.change > 0 ? "+" : "") + info.change.toFixed(2), "meta"));
    }
    var shown = {};
    var into = network.getConnectedEdges(id).filter(function (e) { return data.claims[e]; });
    var causes = into.filter(function (e) { return data.claims[e].effect === id; });
    var effects = into.filter(function (e) { return data.claims[e].cause === id; });
    if (causes.length) {
      panel.appendChild(el("h4", "What drives it"));
      causes.forEach(function (e) { shown[e] = 1; panel.appendChild(claimBlock(e, labelOf(data.claims[e].cause))); });
    }
    if (effects.length) {
      panel.appendChild(el("h4", "What it drives"));
      effects.forEach(function (e) { shown[e] = 1; panel.appendChild(claimBlock(e, labelOf(data.claims[e].effect))); });
    }
    var others = (info.claims || []).filter(function (c) { return !shown[c] && data.claims[c]; });
    if (others.length) {
      panel.appendChild(el("h4", { claim: "The claim", relation: "The relation" }[info.kind] || "Other claims about it"));
      others.forEach(function (c) { panel.appendChild(claimBlock(c)); });
    }
    var s = el("p", null, "claim-id");
    s.appendChild(linkOrText(id, id));
    panel.appendChild(s);
  }
  function showEdge(id) {
    var claim = data.claims[id];
    clearPanel();
    if (!claim) {
      var link = data.links[id];
      if (!link) return;
      panel.appendChild(el("h3", labelOf(link.from) + " \u2014 " + labelOf(link.to)));
      panel.appendChild(el("p", "The factor involves this " + kindName(data.info[link.to].kind) + ".", "meta"));
      return;
    }
    panel.appendChild(el("h3", labelOf(claim.cause) + (claim.polarity > 0 ? " \u2192 increases \u2192 " :
      " \u2192 decreases \u2192 ") + labelOf(claim.effect)));
    panel.appendChild(claimBlock(id));
  }
  function kindName(kind) {
    return { factor: "factor", policy: "policy option", actor: "actor", place: "place", claim: "claim",
      relation: "argument relation" }[kind] || kind;
  }
  function themeLabel(id) {
    for (var i = 0; i < data.themes.length; i++) if (data.themes[i][0] === id) return data.themes[i][1];
    return id;
  }

  network.on("click", function (params) {
    var id = params.nodes.length ? params.nodes[0] : null;
    if (id !== null && network.isCluster(id)) {
      network.openCluster(id);
      return;
    }
    if (id !== null) showNode(id);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // "show on the map" in the text list: the keyboard's way to a claim's arrow and its evidence.
  function selectEdge(id) {
    if (!network.body.edges[id]) return;
    network.selectEdges([id]);
    var e = network.body.edges[id];
    network.fit({ nodes: [e.fromId, e.toId], animation: false });
    if (network.getScale() > 1.2) network.moveTo({ scale: 1.2, animation: false });
    showEdge(id);
  }
  window.cocagraphSelectEdge = selectEdge;
  Array.prototype.forEach.call(document.querySelectorAll("button.show[data-claim]"), function (button) {
    button.addEventListener("click", function () {
      if (grouped) setGrouped(false);
      setFolded(false);
      selectEdge(button.getAttribute("data-claim"));
      window.scrollTo(0, 0);
      document.getElementById("panel-body").focus();
    });
  });

  // ---------------------------------------------------------------- filters
  var themeSelect = document.getElementById("f-theme");
  data.themes.forEach(function (pair) {
    var option = el("option", pair[1]);
    option.value = pair[0];
    themeSelect.appendChild(option);
  });
  var checks = Array.prototype.slice.call(document.querySelectorAll("#filters input[type=checkbox]"));
  var status = document.getElementById("status");
  function wanted(name) {
    return checks.filter(function (c) { return c.name === name && c.checked; }).map(function (c) { return c.value; });
  }
  var nodeHidden = {}, edgeHidden = {};
  function applyFilters() {
    if (grouped) setGrouped(false);
    var theme = themeSelect.value;
    var polarity = wanted("polarity"), certainty = wanted("certainty"), explicitness = wanted("explicitness");
    var entities = document.getElementById("f-entities").checked;
    var visible = {}, hasEdge = {}, edgeUpdates = [], nodeUpdates = [], shownClaims = 0;
    // Only what changes goes to vis: updating all 12,000 items of a large map took seconds.
    function setEdge(id, hidden) {
      if (!!edgeHidden[id] !== hidden) { edgeHidden[id] = hidden; edgeUpdates.push({ id: id, hidden: hidden }); }
    }
    data.edges.forEach(function (e) {
      var claim = data.claims[e.id];
      if (!claim) return;
      hasEdge[e.from] = hasEdge[e.to] = true;
      var ok = polarity.indexOf(claim.polarity > 0 ? "+" : "-") >= 0 && certainty.indexOf(claim.certainty) >= 0 &&
        explicitness.indexOf(claim.explicitness || "stated") >= 0 && (!theme || claim.themes.indexOf(theme) >= 0);
      if (ok) { visible[e.from] = visible[e.to] = true; shownClaims++; }
      setEdge(e.id, !ok);
    });
    data.nodes.forEach(function (n) {
      var info = data.info[n.id];
      if (info.kind === "actor" || info.kind === "place") return;
      if (!hasEdge[n.id] && (!theme || info.themes.indexOf(theme) >= 0)) visible[n.id] = true;
    });
    data.edges.forEach(function (e) {
      if (data.claims[e.id]) return;
      var ok = entities && !!visible[e.from];
      if (ok) visible[e.to] = true;
      setEdge(e.id, !ok);
    });
    var shownNodes = 0, shownIds = [];
    data.nodes.forEach(function (n) {
      var ok = !!visible[n.id];
      if (ok) { shownNodes++; shownIds.push(n.id); }
      if (!!nodeHidden[n.id] !== !ok) { nodeHidden[n.id] = !ok; nodeUpdates.push({ id: n.id, hidden: !ok }); }
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    if (shownIds.length) fitTo(shownIds);
    status.textContent = "Showing " + shownNodes + " of " + data.nodes.length + " nodes and " + shownClaims +
      " of " + data.counts.claims + " causal claims.";
  }
  themeSelect.addEventListener("change", applyFilters);
  checks.forEach(function (c) { c.addEventListener("change", applyFilters); });
  document.getElementById("f-reset").addEventListener("click", function () {
    themeSelect.value = "";
    checks.forEach(function (c) { c.checked = true; });
    applyFilters();
  });
  status.textContent = "Showing all " + data.nodes.length + " nodes and " + data.counts.claims + " causal claims.";
  // How many arrows each explicitness filter holds: more than half of a map's arrows can be the
  // curator's inferences while they are a quarter of the claims, and readers see the arrows.
  var byExplicitness = { stated: 0, inferred: 0 };
  data.edges.forEach(function (e) {
    var claim = data.claims[e.id];
    if (claim && claim.cause) byExplicitness[claim.explicitness === "inferred" ? "inferred" : "stated"]++;
  });
  Array.prototype.forEach.call(document.querySelectorAll("#filters .count"), function (span) {
    span.textContent = "(" + byExplicitness[span.getAttribute("data-count")] + " of " + data.counts.claims +
      " arrows)";
  });

  // ---------------------------------------------------------------- themes as clusters
  // Each theme's factors fold into one node (a factor with several themes goes with its first);
  // a click on a theme's node opens it again.
  var groupButton = document.getElementById("f-group");
  var grouped = false;
  // An actor or place goes with the first factor that involves it.
  var entityFactor = {};
  Object.keys(data.links).sort().forEach(function (k) {
    var link = data.links[k];
    if (!(link.to in entityFactor)) entityFactor[link.to] = link.from;
  });
  function primaryTheme(id) {
    var info = data.info[id];
    if (info && (info.kind === "actor" || info.kind === "place") && entityFactor[id]) info = data.info[entityFactor[id]];
    return info && info.themes && info.themes.length ? info.themes[0] : null;
  }
  function setGrouped(on) {
    grouped = on;
    groupButton.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) {
      data.themes.forEach(function (pair) {
        var members = data.nodes.filter(function (n) { return primaryTheme(n.id) === pair[0] && !nodeHidden[n.id]; });
        if (members.length < 2) return;
        network.cluster({
          joinCondition: function (options) { return primaryTheme(options.id) === pair[0]; },
          clusterNodeProperties: {
            id: "theme:" + pair[0], label: pair[1] + " (" + members.length + ")", shape: "box",
            borderWidth: 3, shapeProperties: { borderDashes: [6, 3] }, font: { size: 20 },
            color: { background: "#fff4d6", border: "#5f4b00" }, widthConstraint: { maximum: 180 }
          }
        });
      });
      compact();
    } else {
      data.themes.forEach(function (pair) {
        if (network.isCluster("theme:" + pair[0])) network.openCluster("theme:" + pair[0]);
      });
    }
    fitTo(null);
  }
  // Theme nodes stand where their factors' centre was, far apart and sometimes on top of one
  // another: draw them together until they nearly touch, and part any that overlap.
  function compact() {
    var ids = network.body.nodeIndices.filter(function (id) { return !network.body.nodes[id].options.hidden; });
    if (ids.length < 2) return;
    var pos = network.getPositions(ids), size = {}, cx = 0, cy = 0;
    ids.forEach(function (id) {
      var b = network.getBoundingBox(id);
      size[id] = { w: b.right - b.left + 30, h: b.bottom - b.top + 30 };
      cx += pos[id].x / ids.length; cy += pos[id].y / ids.length;
    });
    function part() {
      for (var pass = 0; pass < 200; pass++) {
        var moved = false;
        for (var i = 0; i < ids.length; i++) {
          for (var j = i + 1; j < ids.length; j++) {
            var a = pos[ids[i]], b = pos[ids[j]], sa = size[ids[i]], sb = size[ids[j]];
            var dx = b.x - a.x, dy = b.y - a.y;
            var ox = (sa.w + sb.w) / 2 - Math.abs(dx), oy = (sa.h + sb.h) / 2 - Math.abs(dy);
            if (ox <= 0 || oy <= 0) continue;
            moved = true;
            if (ox / (sa.w + sb.w) < oy / (sa.h + sb.h)) {
              var sx = (dx >= 0 ? 1 : -1) * ox / 2; a.x -= sx; b.x += sx;
            } else {
              var sy = (dy >= 0 ? 1 : -1) * oy / 2; a.y -= sy; b.y += sy;
            }
          }
        }
        if (!moved) return;
      }
    }
    // Pulled in harder across a tall screen (a phone), and down a wide one.
    var rect = container.getBoundingClientRect();
    var kx = rect.height > rect.width ? 0.8 : 0.9, ky = rect.height > rect.width ? 0.95 : 0.85;
    for (var round = 0; round < 40; round++) {
      ids.forEach(function (id) { pos[id].x = cx + (pos[id].x - cx) * kx; pos[id].y = cy + (pos[id].y - cy) * ky; });
      part();
    }
    ids.forEach(function (id) { network.moveNode(id, pos[id].x, pos[id].y); });
  }
  groupButton.addEventListener("click", function () { setGrouped(!grouped); });
  // Where the whole map cannot be read at once (a phone), it opens with its themes folded.
  function medianLabel() {
    var sizes = network.body.nodeIndices.map(function (id) { return network.body.nodes[id].options.font.size; });
    sizes.sort(function (a, b) { return a - b; });
    return sizes.length ? sizes[Math.floor(sizes.length / 2)] * network.getScale() : Infinity;
  }
  if (!data.tour && data.themes.length && data.nodes.length <= 400 && medianLabel() < 10) setGrouped(true);
  window.cocagraphGrouped = function () { return grouped; };

  // ---------------------------------------------------------------- the guided tour
  // The argument step by step: each step's claims (quote, certainty, asserter) in the panel,
  // their arrows and factors selected on the map, next/previous by button and by the ← → keys,
  // and each step's own link (#step-4).
  if (data.tour && data.tour.length) {
    var tourAt = -1;
    var tourBody = document.getElementById("tour-body");
    var prevButton = document.getElementById("tour-prev"), nextButton = document.getElementById("tour-next");
    var showStep = function (n) {
      n = Math.max(0, Math.min(data.tour.length - 1, n));
      var step = data.tour[n];
      tourAt = n;
      document.getElementById("tour-count").textContent = "Step " + (n + 1) + " of " + data.tour.length;
      document.getElementById("tour-title").textContent = step.title;
      while (tourBody.firstChild) tourBody.removeChild(tourBody.firstChild);
      step.claims.forEach(function (c) { tourBody.appendChild(claimBlock(c)); });
      prevButton.disabled = n === 0;
      nextButton.disabled = n === data.tour.length - 1;
      network.setSelection({ nodes: step.nodes, edges: step.edges }, { unselectAll: true, highlightEdges: false });
      fitTo(step.nodes.length ? step.nodes : null);
      document.getElementById("panel").scrollTop = 0;
      if (location.hash !== "#step-" + (n + 1)) location.hash = "step-" + (n + 1);
    };
    var fromHash = function () {
      var m = /^#step-(\d+)$/.exec(location.hash);
      return m ? parseInt(m[1], 10) - 1 : 0;
    };
    window.cocagraphStep = function () { return tourAt + 1; };
    prevButton.addEventListener("click", function () { showStep(tourAt - 1); });
    nextButton.addEventListener("click", function () { showStep(tourAt + 1); });
    window.addEventListener("hashchange", function () { showStep(fromHash()); });
    document.addEventListener("keydown", function (event) {
      var t = event.target;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (t && (t.closest("#map") || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
      if (event.key === "ArrowRight") { event.preventDefault(); showStep(tourAt + 1); }
      else if (event.key === "ArrowLeft") { event.preventDefault(); showStep(tourAt - 1); }
    });
    showStep(fromHash());
  }

  // ---------------------------------------------------------------- search
  var search = document.getElementById("search");
  var results = document.getElementById("search-results");
  function runSearch() {
    while (results.firstChild) results.removeChild(results.firstChild);
    var query = fold(search.value);
    if (!query) return;
    var found = data.nodes.filter(function (n) {
      var info = data.info[n.id];
      return [info.label].concat(info.alt || []).some(function (name) { return fold(name).indexOf(query) >= 0; });
    });
    found.sort(function (a, b) { return labelOf(a.id).localeCompare(labelOf(b.id)); });
    results.appendChild(el("p", found.length ? found.length + " match(es)" : "No node is called that.", "meta"));
    found.slice(0, 30).forEach(function (n) {
      var button = el("button", labelOf(n.id), "result");
      button.type = "button";
      button.addEventListener("click", function () { select(n.id); });
      results.appendChild(button);
    });
    if (found.length) select(found[0].id);
  }
  function select(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    showNode(id);
  }
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); runSearch(); }
  });
  document.getElementById("search-go").addEventListener("click", runSearch);
})();
