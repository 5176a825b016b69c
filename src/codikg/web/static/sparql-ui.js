// codikg query page: highlighting editor, one-click examples, result tables, downloads.
// Works offline: it talks only to this server's /sparql.
(function () {
  "use strict";
  const form = document.getElementById("sparql-form");
  const editor = document.getElementById("sparql-query");
  const highlight = document.getElementById("sparql-highlight");
  const status = document.getElementById("sparql-status");
  const results = document.getElementById("sparql-results");
  const downloads = document.getElementById("sparql-downloads");
  const prefixButton = document.getElementById("sparql-prefixes");
  const baseIri = form.dataset.baseIri;
  const prefixes = JSON.parse(form.dataset.prefixes);
  const say = JSON.parse(form.dataset.strings);  // the page language's words for the status line
  const GRAPH_FORMATS = ["turtle", "ntriples", "jsonld"];

  function paint() {
    // A trailing newline keeps the highlighted copy as tall as the textarea.
    highlight.innerHTML = Prism.highlight(editor.value + "\n", Prism.languages.sparql, "sparql");
  }
  editor.addEventListener("input", paint);
  editor.addEventListener("scroll", () => {
    highlight.parentElement.scrollTop = editor.scrollTop;
    highlight.parentElement.scrollLeft = editor.scrollLeft;
  });
  paint();
  document.querySelectorAll("pre.example-query code").forEach((code) => {
    code.innerHTML = Prism.highlight(code.textContent, Prism.languages.sparql, "sparql");
  });

  prefixButton.hidden = false;
  prefixButton.addEventListener("click", () => {
    const text = editor.value;
    const missing = Object.keys(prefixes).filter((name) =>
      new RegExp("(^|[\\s(/^,;{])" + name + ":").test(text) &&
      !new RegExp("PREFIX\\s+" + name + ":", "i").test(text));
    editor.value = missing.map((n) => `PREFIX ${n}: <${prefixes[n]}>\n`).join("") + text;
    paint();
  });

  // Only http(s) IRIs become links (never javascript:, data: ...); those under
  // the base IRI link to this server's pages.
  function localHref(iri) {
    if (iri.startsWith(baseIri)) return "/" + iri.slice(baseIri.length);
    return /^https?:\/\//i.test(iri) ? iri : null;
  }

  function compact(iri) {
    for (const [name, ns] of Object.entries(prefixes)) {
      if (iri.startsWith(ns) && /^[\w.-]*$/.test(iri.slice(ns.length))) return name + ":" + iri.slice(ns.length);
    }
    return iri;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri" && localHref(term.value) === null) {
      td.textContent = compact(term.value);
      td.title = term.value;
    } else if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = localHref(term.value);
      a.textContent = compact(term.value);
      a.title = term.value;
      td.appendChild(a);
    } else if (term.type === "literal" || term.type === "typed-literal") {
      td.textContent = term.value;
      const note = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? "^^" + compact(term.datatype) : "";
      if (note) {
        const span = document.createElement("span");
        span.className = "lang";
        span.textContent = " " + note;
        td.appendChild(span);
      }
      if (term["xml:lang"]) td.lang = term["xml:lang"];
    } else {
      td.textContent = "_:" + term.value;
    }
    return td;
  }

  function table(data) {
    const t = document.createElement("table");
    const head = t.createTHead().insertRow();
    for (const v of data.head.vars) {
      const th = document.createElement("th");
      th.textContent = "?" + v;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const binding of data.results.bindings) {
      const row = body.insertRow();
      for (const v of data.head.vars) row.appendChild(cell(binding[v]));
    }
    return t;
  }

  // kind: "results", "boolean" (JSON and XML only) or "graph".
  function setDownloads(query, kind) {
    downloads.hidden = false;
    downloads.querySelectorAll("a").forEach((a) => {
      const graph = GRAPH_FORMATS.includes(a.dataset.format);
      const fits = kind === "graph" ? graph
        : !graph && (kind !== "boolean" || ["json", "xml"].includes(a.dataset.format));
      a.hidden = !fits;
      a.href = "/sparql?" + new URLSearchParams({ query: query, format: a.dataset.format });
      a.download = "results." + ({ turtle: "ttl", ntriples: "nt", jsonld: "jsonld" }[a.dataset.format] || a.dataset.format);
    });
  }

  async function run() {
    const query = editor.value;
    status.className = "";
    status.textContent = "…";
    results.replaceChildren();
    const started = performance.now();
    let response;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
        body: new URLSearchParams({ query: query }),
      });
    } catch (err) {
      status.className = "error";
      status.textContent = String(err);
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      status.className = "error";
      status.textContent = `${response.status} ${response.statusText}: ${await response.text()}`;
      downloads.hidden = true;
      return;
    }
    const type = (response.headers.get("Content-Type") || "").split(";")[0];
    const cut = response.headers.get("Query-Limit-Exceeded") === "result-rows";
    const rows = response.headers.get("Query-Result-Rows");
    if (type === "application/sparql-results+json") {
      const data = await response.json();
      if ("boolean" in data) {
        results.textContent = data.boolean ? "true" : "false";
      } else {
        results.appendChild(table(data));
      }
      setDownloads(query, "boolean" in data ? "boolean" : "results");
    } else {
      const pre = document.createElement("pre");
      pre.textContent = await response.text();
      results.appendChild(pre);
      setDownloads(query, "graph");
    }
    status.className = cut ? "warning" : "";
    status.textContent = `${rows ?? ""} ${rows === "1" ? say.row : say.rows} ${say.in} ${seconds} ${say.seconds}` +
      (cut ? ` — ${say.cut} ${response.headers.get("Query-Result-Limit")} ${say.rows}` : "");
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  document.querySelectorAll("a.run-example").forEach((a) => {
    a.addEventListener("click", (event) => {
      event.preventDefault();
      const code = document.querySelector(`pre.example-query[data-example="${a.dataset.example}"]`);
      editor.value = code.textContent;
      paint();
      form.scrollIntoView();
      run();
    });
  });
  if (form.dataset.autorun === "true") run();  // a shared /sparql?query=… link
})();
