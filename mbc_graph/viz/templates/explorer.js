/* mbc-graph explorer: draws the embedded JSON with vis-network.
 * Every string from the data reaches the page through textContent or
 * createTextNode, never as markup. */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("mbc-data").textContent);
  const info = data.info || {};
  const edgeInfo = data.edgeInfo || {};
  const styles = {};
  (data.categories || []).forEach(function (c) { styles[c.key] = c; });
  const SVG = "http://www.w3.org/2000/svg";

  // -- small DOM helpers -------------------------------------------------------
  const el = window.mbcDom.el, clear = window.mbcDom.clear;  // dom.js, loaded first
  function normalize(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\+/g, " positive ").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  // A category's shape as a small inline SVG (no images, no fonts).
  function swatch(shape, color, size) {
    size = size || 14;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", size); svg.setAttribute("height", size);
    svg.setAttribute("viewBox", "-10 -10 20 20");
    svg.setAttribute("class", "mbc-swatch");
    let shapeEl;
    const polygons = {
      square: "-7,-7 7,-7 7,7 -7,7",
      diamond: "0,-9 9,0 0,9 -9,0",
      triangle: "0,-8 8,7 -8,7",
      triangleDown: "0,8 8,-7 -8,-7",
      hexagon: "8,0 4,7 -4,7 -8,0 -4,-7 4,-7",
      star: "0,-9 2.6,-3.2 8.6,-2.8 4,1.2 5.3,7.3 0,4 -5.3,7.3 -4,1.2 -8.6,-2.8 -2.6,-3.2"
    };
    if (polygons[shape]) {
      shapeEl = document.createElementNS(SVG, "polygon");
      shapeEl.setAttribute("points", polygons[shape]);
    } else {
      shapeEl = document.createElementNS(SVG, "circle");
      shapeEl.setAttribute("r", "7");
    }
    shapeEl.setAttribute("fill", color);
    shapeEl.setAttribute("stroke", "#333");
    shapeEl.setAttribute("stroke-width", "0.8");
    svg.appendChild(shapeEl);
    return svg;
  }
  function lineSwatch(style) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "30"); svg.setAttribute("height", "10");
    svg.setAttribute("class", "mbc-swatch");
    const line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "5");
    line.setAttribute("x2", "29"); line.setAttribute("y2", "5");
    line.setAttribute("stroke", style.color);
    line.setAttribute("stroke-width", String(Math.max(1.5, style.width)));
    if (Array.isArray(style.dashes)) line.setAttribute("stroke-dasharray", style.dashes.join(" "));
    svg.appendChild(line);
    return svg;
  }

  // Hover tooltips are DOM elements filled with textContent, never HTML strings.
  function tooltip(id) {
    const d = info[id] || {};
    const box = el("div");
    box.appendChild(el("strong", null, d.label));
    box.appendChild(el("div", null, d.categoryLabel));
    return box;
  }

  // -- the network -------------------------------------------------------------------
  const nodes = new vis.DataSet(data.nodes.map(function (n) {
    return Object.assign({}, n, { title: tooltip(n.id) });
  }));
  const edges = new vis.DataSet(data.edges);
  const container = document.getElementById("mbc-network");
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  const baseBorder = (data.options.nodes && data.options.nodes.borderWidth) || 1.5;

  const state = { query: "", hiddenCategories: {}, matches: [] };
  const view = {
    network: network, nodes: nodes, edges: edges, data: data, ready: false,
    select: select, selectEdge: selectEdge, search: search, setCategory: setCategory,
    rank: function (text) { return finder.search(text).map(function (hit) { return hit.key; }); },
    visibleNodeIds: visibleNodeIds, visibleEdgeIds: visibleEdgeIds
  };
  window.mbcView = view;

  function finishLayout() {
    if (view.ready) return;
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    // fit() frames the shapes; labels drawn below a dot can stick out: leave them room
    network.moveTo({ scale: network.getScale() * 0.9, animation: false });
    document.getElementById("mbc-loading").className = "mbc-done";
    view.ready = true;
  }
  const loading = document.getElementById("mbc-loading");
  if (data.options.physics && data.options.physics.enabled) {
    loading.textContent = "Laying out " + data.nodes.length + " nodes\u2026";
    network.on("stabilizationProgress", function (p) {
      loading.textContent = "Laying out " + data.nodes.length + " nodes\u2026 " +
        Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", finishLayout);
    network.once("stabilized", finishLayout);
  } else {
    network.once("afterDrawing", finishLayout);
  }

  // -- search: the library's ranking (mbc_graph/search.py) over its name index, ported line by line,
  // so the page finds what kg.search finds (typos, synonyms, CURIEs, xrefs), in the same order.
  const finder = (function (index) {
    const P = index.parameters;
    const stop = new Set(P.stopwords);
    function wordsOf(text) { const t = normalize(text); return t ? t.split(" ") : []; }
    const entries = [];
    const byWord = new Map();
    index.names.forEach(function (row) {
      const words = wordsOf(row[1]);
      if (!words.length) return;
      entries.push({ key: row[0], name: row[1], factor: row[2] ? 1 : P.synonymFactor, words: words });
      words.forEach(function (w) {
        if (!byWord.has(w)) byWord.set(w, []);
        const ids = byWord.get(w);
        if (ids[ids.length - 1] !== entries.length - 1) ids.push(entries.length - 1);
      });
    });
    const vocabulary = Array.from(byWord.keys());
    const total = Math.max(entries.length, 1);
    const idf = new Map();
    byWord.forEach(function (ids, w) { idf.set(w, Math.log(1 + total / ids.length)); });
    const rare = Math.log(1 + total);
    const nameKeys = new Set(entries.map(function (e) { return e.words.join(" "); }));
    const cache = new Map();

    function lcs(a, b) {  // length of the longest common subsequence
      const row = new Array(b.length + 1).fill(0);
      for (let i = 1; i <= a.length; i++) {
        let diagonal = 0;
        for (let j = 1; j <= b.length; j++) {
          const above = row[j];
          row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1]);
          diagonal = above;
        }
      }
      return row[b.length];
    }
    function ratio(a, b) {  // rapidfuzz's fuzz.ratio: normalised Indel similarity, 0-100
      const x = Array.from(a), y = Array.from(b), n = x.length + y.length;
      return n ? (1 - (n - 2 * lcs(x, y)) / n) * 100 : 100;
    }
    function similar(word) {
      if (cache.has(word)) return cache.get(word);
      const found = new Map();
      vocabulary.forEach(function (other) {
        const r = ratio(word, other);
        if (r >= P.typoSimilarity) found.set(other, other === word ? 1 : P.typoFactor * r / 100);
        if (word.length >= 3 && other.startsWith(word)) {
          found.set(other, Math.max(found.get(other) || 0, other === word ? 1 : P.prefix));
        }
      });
      cache.set(word, found);
      return found;
    }
    function score(sims, weights, weightSum, e) {
      let matched = 0;
      sims.forEach(function (s, k) {
        let best = 0;
        e.words.forEach(function (n) { best = Math.max(best, s.get(n) || 0); });
        matched += weights[k] * best;
      });
      let content = e.words.filter(function (n) { return !stop.has(n); });
      if (!content.length) content = e.words;
      let covered = 0, all = 0;
      content.forEach(function (n) {
        all += idf.get(n);
        if (sims.some(function (s) { return s.has(n); })) covered += idf.get(n);
      });
      return (1 - P.completeness) * (matched / weightSum) + P.completeness * (covered / all);
    }
    function search(text) {
      const query = normalize(String(text).slice(0, P.maxQuery));
      const unique = Array.from(new Set(query ? query.split(" ") : []));
      let words = unique.filter(function (w) { return !stop.has(w); });
      if (!words.length) words = unique;
      if (!words.length) return [];
      const sims = words.map(similar);
      const weights = sims.map(function (s) {
        let exact = null, any = null;
        s.forEach(function (value, w) {
          if (value === 1) exact = exact === null ? idf.get(w) : Math.max(exact, idf.get(w));
          any = any === null ? idf.get(w) : Math.max(any, idf.get(w));
        });
        return exact !== null ? exact : (any !== null ? any : rare);
      });
      const weightSum = weights.reduce(function (a, b) { return a + b; }, 0);
      const candidates = new Set();
      sims.forEach(function (s) { s.forEach(function (v, w) { byWord.get(w).forEach(function (i) { candidates.add(i); }); }); });
      const best = new Map();
      Array.from(candidates).sort(function (a, b) { return a - b; }).forEach(function (i) {
        const e = entries[i];
        const raw = e.words.join(" ") === query ? e.factor : e.factor * score(sims, weights, weightSum, e);
        const s = Math.round(raw * 1e4) / 1e4;
        if (s >= P.cutoff && (!best.has(e.key) || s > best.get(e.key).score)) {
          best.set(e.key, { key: e.key, name: e.name, score: s });
        }
      });
      const ranked = Array.from(best.values()).sort(function (a, b) {
        return b.score - a.score || Array.from(a.name).length - Array.from(b.name).length ||
          (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      });
      const key = normalize(text);
      const named = nameKeys.has(key) ? [] : (index.lookup[key] || []);
      return named.map(function (id) { return { key: id, name: String(text), score: 1 }; })
        .concat(ranked.filter(function (hit) { return named.indexOf(hit.key) === -1; }));
    }
    return { search: search };
  })(data.search);

  // -- filters: categories and search ---------------------------------------------------
  function nodeCategory(id) { return (info[id] || {}).category || "other"; }
  function categoryShown(id) { return !state.hiddenCategories[nodeCategory(id)]; }

  function computeVisible() {
    const shown = {};
    const ids = nodes.getIds();
    if (!state.query) {
      ids.forEach(function (id) { shown[id] = categoryShown(id); });
      state.matches = [];
      return shown;
    }
    state.matches = finder.search(state.query).map(function (hit) { return hit.key; }).filter(function (id) {
      return info[id] && nodes.get(id) && categoryShown(id);
    });
    state.matches.forEach(function (id) {
      shown[id] = true;
      network.getConnectedNodes(id).forEach(function (other) {
        if (categoryShown(other)) shown[other] = true;
      });
    });
    ids.forEach(function (id) { shown[id] = !!shown[id]; });
    return shown;
  }

  function applyFilters(fit) {
    const shown = computeVisible();
    const matched = {};
    state.matches.forEach(function (id) { matched[id] = true; });
    nodes.update(nodes.getIds().map(function (id) {
      return { id: id, hidden: !shown[id], borderWidth: matched[id] ? 5 : baseBorder };
    }));
    edges.update(edges.getIds().map(function (id) {
      const e = edges.get(id);
      return { id: id, hidden: !(shown[e.from] && shown[e.to]) };
    }));
    renderMatches();
    renderCounts();
    if (fit) {
      const visible = visibleNodeIds();
      if (visible.length) network.fit({ nodes: visible, animation: false });
    }
  }

  function visibleNodeIds() {
    return nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; });
  }
  function visibleEdgeIds() {
    return edges.get({ filter: function (e) { return !e.hidden; } }).map(function (e) { return e.id; });
  }

  function search(text) {
    state.query = String(text || "").trim();
    const box = document.getElementById("mbc-search");
    if (box.value !== text) box.value = text || "";
    applyFilters(true);
    return state.matches.slice();
  }

  function setCategory(key, visible) {
    state.hiddenCategories[key] = !visible;
    const box = document.querySelector('input[data-category="' + CSS.escape(key) + '"]');
    if (box) box.checked = !!visible;
    applyFilters(false);
  }

  function renderCounts() {
    const n = visibleNodeIds().length, m = visibleEdgeIds().length;
    const total = data.nodes.length;
    const plural = function (k, word) { return k + " " + word + (k === 1 ? "" : "s"); };
    document.getElementById("mbc-counts").textContent =
      (n === total ? plural(n, "concept") : n + " of " + plural(total, "concept")) + " \u00b7 " +
      plural(m, "relation");
  }

  function renderMatches() {
    const list = document.getElementById("mbc-matches");
    const status = document.getElementById("mbc-search-status");
    clear(list);
    if (!state.query) { status.textContent = ""; return; }
    status.textContent = state.matches.length === 1 ? "1 match" : state.matches.length + " matches";
    state.matches.slice(0, 40).forEach(function (id) {
      const item = el("li");
      const button = el("button", null);
      button.type = "button";
      button.appendChild(swatch((styles[nodeCategory(id)] || {}).shape, (styles[nodeCategory(id)] || {}).color || "#888", 11));
      button.appendChild(document.createTextNode(" " + (info[id] || {}).label));
      button.addEventListener("click", function () { select(id); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function renderLegend() {
    const list = document.getElementById("mbc-categories");
    (data.categories || []).forEach(function (c) {
      const item = el("li");
      const label = el("label");
      const box = el("input");
      box.type = "checkbox"; box.checked = true;
      box.setAttribute("data-category", c.key);
      box.addEventListener("change", function () { setCategory(c.key, box.checked); });
      label.appendChild(box);
      label.appendChild(swatch(c.shape, c.color));
      label.appendChild(el("span", null, c.label));
      label.appendChild(el("span", "mbc-count", c.count));
      item.appendChild(label);
      list.appendChild(item);
    });
    const kinds = document.getElementById("mbc-edge-kinds");
    const names = { stated: "always (axiom)", inherited: "always, inherited from a broader class",
      "is a": "is a (subclass)", path: "step of the path", claim: "claim about a concept",
      often: "often (association)", sometimes: "sometimes, can (association)", rarely: "rarely (association)",
      "in selected cases": "in selected cases (association)", "not stated": "how often not stated (association)" };
    Object.keys(data.edgeKinds || {}).forEach(function (kind) {
      const item = el("li");
      item.appendChild(lineSwatch(data.edgeKinds[kind]));
      item.appendChild(el("span", null, names[kind] || kind));
      kinds.appendChild(item);
    });
    function all(on) {
      (data.categories || []).forEach(function (c) { state.hiddenCategories[c.key] = !on; });
      document.querySelectorAll("input[data-category]").forEach(function (b) { b.checked = on; });
      applyFilters(false);
    }
    document.getElementById("mbc-all").addEventListener("click", function () { all(true); });
    document.getElementById("mbc-none").addEventListener("click", function () { all(false); });
  }

  // -- details -------------------------------------------------------------------------------
  function nodeLink(id) {
    const button = el("button", "mbc-node-link", (info[id] || {}).label || id);
    button.type = "button";
    button.addEventListener("click", function () { select(id); });
    return button;
  }

  function evidenceList(items) {
    const list = el("ul", "mbc-evidence");
    if (!items || !items.length) {
      list.appendChild(el("li", "mbc-muted", "No evidence recorded for this link."));
      return list;
    }
    items.forEach(function (e) {
      const item = el("li");
      const source = el("div", "mbc-source", e.source);
      if (e.title) source.title = e.title;
      item.appendChild(source);
      if (e.quote) item.appendChild(el("p", "mbc-quote", e.quote));
      if (e.note) item.appendChild(el("p", "mbc-note", (e.curated ? "Curated: " : "") + e.note));
      if (e.assertedOn) item.appendChild(el("div", "mbc-inherited", "stated for " + e.assertedOn));
      if (e.rating === "low") item.appendChild(el("div", "mbc-low-rated", "low-rated source"));
      list.appendChild(item);
    });
    return list;
  }

  // How often the link holds (an axiom: always), when, and whether only low-rated sources say so.
  function qualifierLine(e) {
    let text = e.qualifier === "always" ? "always (axiom)" : "how often: " + e.qualifier;
    if (e.condition) text += ", " + e.condition;
    if (e.lowRatedOnly) text += "; only low-rated sources";
    return el("div", "mbc-qualifier", text);
  }

  function categoryChip(d) {
    const chip = el("span", "mbc-chip");
    const s = styles[d.category] || {};
    chip.appendChild(swatch(s.shape, s.color || "#888", 12));
    chip.appendChild(el("span", null, d.categoryLabel || d.category));
    return chip;
  }

  function relationBlock(edgeId, fromSide) {
    const e = edgeInfo[edgeId];
    const block = el("div", "mbc-relation");
    block.setAttribute("data-edge", edgeId);
    const head = el("div", "mbc-relation-head");
    if (fromSide) {
      head.appendChild(el("span", "mbc-rel", e.label + " \u2192"));
      head.appendChild(nodeLink(e.to));
    } else {
      head.appendChild(nodeLink(e.from));
      head.appendChild(el("span", "mbc-rel", "\u2192 " + e.label + " \u2192 this"));
    }
    if (e.kind === "inherited") head.appendChild(el("span", "mbc-inherited", "(inherited)"));
    block.appendChild(head);
    if (e.qualifier) block.appendChild(qualifierLine(e));
    if (e.kind !== "claim") block.appendChild(evidenceList(e.evidence));
    return block;
  }

  function showNode(id) {
    const d = info[id];
    const panel = document.getElementById("mbc-details");
    clear(panel);
    if (!d) return;
    panel.setAttribute("data-node", id);
    panel.appendChild(el("h2", null, d.label));
    panel.appendChild(categoryChip(d));
    panel.appendChild(el("div", "mbc-id", d.curie || d.iri));
    if (d.status) {
      const status = el("p");
      status.appendChild(el("span", "mbc-status", d.status));
      if (d.topic) status.appendChild(document.createTextNode(" \u00b7 topic: " + d.topic));
      panel.appendChild(status);
      if (d.note) panel.appendChild(el("p", "mbc-note", d.note));
      panel.appendChild(el("h3", null, "Sources"));
      panel.appendChild(evidenceList(d.evidence));
    }
    if (d.definition) panel.appendChild(el("p", "mbc-definition", d.definition));
    if (d.synonyms && d.synonyms.length) {
      panel.appendChild(el("h3", null, "Also called"));
      panel.appendChild(el("p", "mbc-synonyms", d.synonyms.join("; ")));
    }
    if (d.xrefs && d.xrefs.length) {
      panel.appendChild(el("h3", null, "Cross-references"));
      const list = el("ul", "mbc-xrefs");
      d.xrefs.forEach(function (x) { list.appendChild(el("li", "mbc-id", x[0] + " (" + x[1] + ")")); });
      panel.appendChild(list);
    }
    if (d.values && d.values.length) {
      panel.appendChild(el("h3", null, "Values"));
      const list = el("ul", "mbc-values");
      d.values.forEach(function (v) { list.appendChild(el("li", null, v[0] + ": " + v[1])); });
      panel.appendChild(list);
    }
    const outgoing = [], incoming = [];
    Object.keys(edgeInfo).forEach(function (edgeId) {
      if (edgeInfo[edgeId].from === id) outgoing.push(edgeId);
      else if (edgeInfo[edgeId].to === id) incoming.push(edgeId);
    });
    if (outgoing.length || incoming.length) {
      panel.appendChild(el("h3", null, "Relations and evidence (" + (outgoing.length + incoming.length) + ")"));
      outgoing.forEach(function (edgeId) { panel.appendChild(relationBlock(edgeId, true)); });
      incoming.forEach(function (edgeId) { panel.appendChild(relationBlock(edgeId, false)); });
    }
  }

  function showEdge(edgeId) {
    const e = edgeInfo[edgeId];
    const panel = document.getElementById("mbc-details");
    clear(panel);
    if (!e) return;
    panel.setAttribute("data-edge", edgeId);
    const head = el("h2");
    head.appendChild(nodeLink(e.from));
    head.appendChild(el("span", "mbc-rel", " \u2192 " + e.label + " \u2192 "));
    head.appendChild(nodeLink(e.to));
    panel.appendChild(head);
    if (e.kind === "inherited") panel.appendChild(el("p", "mbc-inherited", "Inherited from a broader class."));
    if (e.qualifier) panel.appendChild(qualifierLine(e));
    panel.appendChild(el("h3", null, "Evidence"));
    panel.appendChild(evidenceList(e.evidence));
  }

  // A path view opens on the whole path: every step with its evidence.
  function showPath() {
    const panel = document.getElementById("mbc-details");
    clear(panel);
    panel.appendChild(el("h2", null, data.title));
    Object.keys(edgeInfo).forEach(function (edgeId, i) {
      const e = edgeInfo[edgeId];
      const block = el("div", "mbc-relation");
      block.setAttribute("data-edge", edgeId);
      const head = el("div", "mbc-relation-head");
      head.appendChild(el("span", "mbc-muted", (i + 1) + "."));
      head.appendChild(nodeLink(e.from));
      head.appendChild(el("span", "mbc-rel", "\u2192 " + e.label + " \u2192"));
      head.appendChild(nodeLink(e.to));
      block.appendChild(head);
      if (e.qualifier) block.appendChild(qualifierLine(e));
      block.appendChild(evidenceList(e.evidence));
      panel.appendChild(block);
    });
  }

  function select(id) {
    if (!info[id]) return false;
    if (nodes.get(id) && !nodes.get(id).hidden) {
      network.selectNodes([id]);
      network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    }
    showNode(id);
    return true;
  }

  function selectEdge(edgeId) {
    if (!edgeInfo[edgeId]) return false;
    network.selectEdges([edgeId]);
    showEdge(edgeId);
    return true;
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // -- wiring ------------------------------------------------------------------------------------
  const searchBox = document.getElementById("mbc-search");
  searchBox.addEventListener("input", function () {
    state.query = searchBox.value.trim();
    applyFilters(true);
  });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && state.matches.length) select(state.matches[0]);
  });
  document.getElementById("mbc-fit").addEventListener("click", function () { network.fit({ animation: false }); });

  renderLegend();
  renderCounts();
  if (data.focus && data.mode === "focus") showNode(data.focus);
  if (data.mode === "path") showPath();
})();
