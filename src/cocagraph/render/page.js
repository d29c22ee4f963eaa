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

  network.once("afterDrawing", function () {
    // Positions come precomputed and physics is off: the first drawing is the still map.
    window.cocagraphReadyAt = performance.now();
    window.cocagraphReady = true;
    document.body.setAttribute("data-ready", "1");
  });

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
    if (claim.type) facts.push(claim.type + " claim");
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
      panel.appendChild(el("h4", "Other claims about it"));
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
    return { factor: "factor", policy: "policy option", actor: "actor", place: "place" }[kind] || kind;
  }
  function themeLabel(id) {
    for (var i = 0; i < data.themes.length; i++) if (data.themes[i][0] === id) return data.themes[i][1];
    return id;
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
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
    if (shownIds.length) network.fit({ nodes: shownIds, animation: false });
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
