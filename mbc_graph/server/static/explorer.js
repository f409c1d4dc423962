/* mbc-graph explorer: the search, graph and SPARQL pages, fed by the server's JSON API.
 * Every string from the data reaches the page through textContent, never as markup;
 * every request goes to this server (the Content-Security-Policy allows nothing else). */
(function () {
  "use strict";

  const el = window.mbcDom.el, clear = window.mbcDom.clear;  // dom.js, loaded first
  function link(href, text, className) { const a = el("a", className, text); a.href = href; return a; }
  function conceptUrl(ref) {
    if (ref.curie !== ref.iri) return "/concept/" + encodeURIComponent(ref.curie).replace(/%3A/g, ":");
    return "/concept?" + new URLSearchParams({iri: ref.iri});
  }
  async function getJSON(url) {
    const response = await fetch(url, {headers: {Accept: "application/json"}});
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    return body;
  }

  // -- search as you type -------------------------------------------------------
  function initSearch() {
    const input = document.getElementById("search");
    const list = document.getElementById("results");
    const status = document.getElementById("search-status");
    const state = {ready: true, pending: 0, seq: 0};
    window.mbcExplorer = state;
    let timer = null;
    async function update() {
      const text = input.value.trim();
      const seq = ++state.seq;
      if (!text) { clear(list); status.textContent = ""; return; }
      state.pending++;
      try {
        const body = await getJSON("/api/search?" + new URLSearchParams({q: text, limit: 15}));
        if (seq !== state.seq) return;  // a newer search is on its way
        clear(list);
        body.results.forEach(function (hit) {
          const item = el("li");
          item.appendChild(link(conceptUrl(hit), hit.label));
          if (hit.category) item.appendChild(el("span", "category", " " + hit.category));
          if (hit.matched !== hit.label) item.appendChild(el("span", "muted", " (" + hit.matched + ")"));
          list.appendChild(item);
        });
        status.textContent = body.results.length ? body.results.length + " matches" : "No concept matches “" + text + "”.";
      } catch (error) {
        status.textContent = String(error.message);
      } finally {
        state.pending--;
      }
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 120); });
    input.addEventListener("keydown", function (event) {
      const first = list.querySelector("a");
      if (event.key === "Enter" && first) window.location.href = first.href;
    });
    const initial = new URLSearchParams(window.location.search).get("q");
    if (initial) { input.value = initial; update(); }
  }

  // -- graph view: expand a node's neighbourhood on click -----------------------------
  function initGraph() {
    const container = document.getElementById("graph");
    const details = document.getElementById("graph-details");
    const nodes = new vis.DataSet(), edges = new vis.DataSet();
    const expanded = new Set(), refs = {};
    const groups = JSON.parse(document.getElementById("graph-groups").textContent);
    const network = new vis.Network(container, {nodes: nodes, edges: edges}, {
      nodes: {shape: "dot", size: 12, font: {size: 14}},
      edges: {arrows: {to: {enabled: true, scaleFactor: 0.5}}, font: {size: 10, align: "middle"}, color: {color: "#9aa3b0"}},
      physics: {solver: "forceAtlas2Based", stabilization: {iterations: 150}},
      groups: groups
    });
    const state = {nodes: nodes, edges: edges, network: network, expanded: expanded, ready: false, pending: 0,
                   settled: false};
    window.mbcGraph = state;
    function addNode(ref) {
      refs[ref.iri] = ref;
      if (!nodes.get(ref.iri)) nodes.add({id: ref.iri, label: ref.label, group: ref.category in groups ? ref.category : "other"});
    }
    function show(ref) {
      clear(details);
      details.appendChild(el("h2", null, ref.label));
      details.appendChild(el("p", "muted", (ref.category || "concept") + " · " + ref.curie));
      details.appendChild(link(conceptUrl(ref), "Open its page: definition, evidence, claims"));
    }
    async function expand(iri) {
      if (expanded.has(iri)) return;
      expanded.add(iri);
      state.pending++;
      try {
        const c = await getJSON("/api/concept?" + new URLSearchParams({iri: iri}));
        addNode(c);
        nodes.update({id: c.iri, borderWidth: 3});
        c.edges.forEach(function (edge) {
          addNode(edge.target);
          const id = c.iri + " " + edge.relation + " " + edge.target.iri;
          if (!edges.get(id)) edges.add({id: id, from: c.iri, to: edge.target.iri, label: edge.relation_label, relation: edge.relation});
        });
      } catch (error) {
        details.appendChild(el("p", "error", String(error.message)));
      } finally {
        state.pending--;
      }
    }
    state.expand = expand;
    // "settled": the layout has stopped moving (a click then lands where the node is drawn).
    network.on("startStabilizing", function () { state.settled = false; });
    network.on("stabilized", function () { state.settled = true; });
    network.on("click", function (params) {
      if (params.nodes.length) { const iri = params.nodes[0]; show(refs[iri]); expand(iri); }
    });
    network.on("doubleClick", function (params) {
      if (params.nodes.length) window.location.href = conceptUrl(refs[params.nodes[0]]);
    });
    expand(container.dataset.focus).then(function () { state.ready = true; });
  }

  // -- SPARQL page: a small editor, examples, a results table and downloads ------------------
  function initQuery() {
    const editor = document.getElementById("editor");
    const gutter = document.getElementById("gutter");
    const cursor = document.getElementById("cursor");
    const status = document.getElementById("query-status");
    const results = document.getElementById("query-results");
    const examples = JSON.parse(document.getElementById("examples-data").textContent);
    const state = {ready: true, running: false, result: null};
    window.mbcQuery = state;

    function isGraphQuery(text) {
      return /\b(CONSTRUCT|DESCRIBE)\b/i.test(text.replace(/#[^\n]*/g, ""));
    }
    function refresh() {
      const lines = editor.value.split("\n").length;
      gutter.textContent = Array.from({length: lines}, function (_, i) { return i + 1; }).join("\n");
      gutter.scrollTop = editor.scrollTop;
      const before = editor.value.slice(0, editor.selectionStart).split("\n");
      cursor.textContent = "line " + before.length + ", column " + (before[before.length - 1].length + 1);
      const graph = isGraphQuery(editor.value);
      document.querySelectorAll("#downloads a").forEach(function (a) {
        const format = a.dataset.format;
        const fits = graph ? ["ttl", "xml", "json"].includes(format) : format !== "ttl";
        a.hidden = !fits;
        a.href = "/sparql?" + new URLSearchParams({query: editor.value, format: format === "json" && graph ? "json-ld" : format});
        a.setAttribute("download", "result." + (format === "json" && graph ? "jsonld" : format === "xml" && graph ? "rdf" : format));
      });
    }
    function table(body) {
      const t = el("table", "results");
      const head = t.appendChild(el("thead")).appendChild(el("tr"));
      body.head.vars.forEach(function (v) { head.appendChild(el("th", null, "?" + v)); });
      const rows = t.appendChild(el("tbody"));
      body.results.bindings.forEach(function (binding) {
        const tr = rows.appendChild(el("tr"));
        body.head.vars.forEach(function (v) {
          const td = tr.appendChild(el("td"));
          const term = binding[v];
          if (!term) return;
          if (term.type === "uri") td.appendChild(link("/concept?" + new URLSearchParams({iri: term.value}), term.value));
          else td.textContent = term.value;
        });
      });
      return t;
    }
    async function run() {
      const text = editor.value;
      state.running = true;
      status.className = ""; status.textContent = "Running…";
      clear(results);
      const started = performance.now();
      try {
        const response = await fetch("/sparql", {
          method: "POST",
          headers: {"Content-Type": "application/x-www-form-urlencoded",
                    Accept: isGraphQuery(text) ? "text/turtle" : "application/sparql-results+json"},
          body: new URLSearchParams({query: text})
        });
        const body = await response.text();
        if (!response.ok) throw new Error(body);
        const seconds = ((performance.now() - started) / 1000).toFixed(2);
        if ((response.headers.get("Content-Type") || "").includes("json")) {
          const data = JSON.parse(body);
          state.result = data;
          if ("boolean" in data) {
            results.appendChild(el("p", "boolean", String(data.boolean)));
            status.textContent = "ASK answered in " + seconds + " s.";
          } else {
            results.appendChild(table(data));
            status.textContent = data.results.bindings.length + " rows in " + seconds + " s.";
          }
        } else {
          state.result = body;
          results.appendChild(el("pre", "graph-result", body));
          status.textContent = "Graph in " + seconds + " s.";
        }
      } catch (error) {
        status.className = "error";
        status.textContent = String(error.message).trim();
      } finally {
        state.running = false;
      }
    }
    state.run = run;
    editor.addEventListener("input", refresh);
    editor.addEventListener("keyup", refresh);
    editor.addEventListener("click", refresh);
    editor.addEventListener("scroll", function () { gutter.scrollTop = editor.scrollTop; });
    editor.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
    });
    document.getElementById("run").addEventListener("click", run);
    document.getElementById("examples").addEventListener("change", function (event) {
      const chosen = examples[Number(event.target.value)];
      if (chosen) { editor.value = chosen.sparql; refresh(); }
    });
    refresh();
  }

  const page = document.body.dataset.page;
  if (page === "search") initSearch();
  else if (page === "graph") initGraph();
  else if (page === "query") initQuery();
})();
