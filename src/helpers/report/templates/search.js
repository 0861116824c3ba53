/* The edition's search box (templates/search.html.j2), working from file:// without a network.
   publish writes search/search-index.js (helpers.workflow.search): window.SEARCH_DOCUMENTS, one
   entry per section, figure and table of the book's front matter, chapters and profiles. The
   search itself is MiniSearch (search/minisearch.js, vendored); this file only tokenises (CJK
   text as overlapping character pairs, other text as words), builds the index on first use and
   lists the hits as links to their page and anchor. */
(function () {
  "use strict";
  var form = document.querySelector("form.site-search");
  if (!form || !window.MiniSearch || !window.SEARCH_DOCUMENTS) {
    return; // the box stays hidden: nothing to search with
  }
  var input = form.querySelector("input");
  var status = form.querySelector(".site-search-status");
  var list = form.querySelector(".site-search-results");
  var root = (document.querySelector("script[src$='search/search.js']").getAttribute("src") || "")
    .replace(/search\/search\.js$/, "");
  var MAX_SHOWN = 20;
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/;
  // runs of CJK characters, or of letters and digits (1.4 and 12,950 stay one token)
  var RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+|[\p{L}\p{N}]+(?:[.,]\p{N}+)*/gu;

  // Index: every CJK character and every pair of neighbours (北京 → 北, 京, 北京), words as they are.
  function indexTokens(text) {
    var tokens = [];
    (text.toLowerCase().match(RUNS) || []).forEach(function (run) {
      if (!CJK.test(run.charAt(0))) {
        tokens.push(run);
        return;
      }
      for (var i = 0; i < run.length; i++) {
        tokens.push(run.charAt(i));
        if (i + 1 < run.length) {
          tokens.push(run.substr(i, 2));
        }
      }
    });
    return tokens;
  }

  // Query: a CJK run as its pairs (all must match), a single character as itself.
  function queryTokens(text) {
    var tokens = [];
    (text.toLowerCase().match(RUNS) || []).forEach(function (run) {
      if (!CJK.test(run.charAt(0)) || run.length === 1) {
        tokens.push(run);
        return;
      }
      for (var i = 0; i + 1 < run.length; i++) {
        tokens.push(run.substr(i, 2));
      }
    });
    return tokens;
  }

  var engine = null;
  function searchEngine() {
    if (engine === null) {
      engine = new window.MiniSearch({
        fields: ["title", "text"],
        storeFields: ["title", "where", "page", "anchor", "kind"],
        tokenize: indexTokens,
        processTerm: function (term) { return term; },
        searchOptions: {
          tokenize: queryTokens,
          combineWith: "AND",
          boost: { title: 3 },
          // word prefixes and small typos for alphabetic words only: a CJK pair is exact
          prefix: function (term) { return !CJK.test(term.charAt(0)) && term.length > 2; },
          fuzzy: function (term) { return !CJK.test(term.charAt(0)) && term.length > 4 ? 0.2 : false; }
        }
      });
      engine.addAll(window.SEARCH_DOCUMENTS);
    }
    return engine;
  }

  function words(name, values) {
    var word = form.querySelector("[data-word='" + name + "']");
    var text = word ? word.textContent : "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(values[key]));
    });
    return text;
  }

  // A few words of the hit's text around the first query term found in it.
  function excerpt(text, terms) {
    var at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) {
      at = text.toLowerCase().indexOf(terms[i]);
    }
    var start = Math.max(0, at - 30);
    var shown = text.substr(start, 120);
    return (start > 0 ? "…" : "") + shown + (start + 120 < text.length ? "…" : "");
  }

  function show(query) {
    list.textContent = "";
    if (!query.trim()) {
      status.textContent = "";
      return;
    }
    var hits = searchEngine().search(query);
    if (!hits.length) {
      status.textContent = words("none");
      return;
    }
    status.textContent = hits.length > MAX_SHOWN
      ? words("more", { count: hits.length, shown: MAX_SHOWN })
      : words("count", { count: hits.length });
    hits.slice(0, MAX_SHOWN).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + hit.page + (hit.anchor ? "#" + hit.anchor : "");
      link.textContent = hit.title;
      item.appendChild(link);
      var where = document.createElement("span");
      where.className = "where";
      where.textContent = " · " + words("kind-" + hit.kind) + " · " + hit.where;
      item.appendChild(where);
      var text = document.createElement("p");
      text.textContent = excerpt(window.SEARCH_DOCUMENTS[hit.id].text, queryTokens(query));
      item.appendChild(text);
      list.appendChild(item);
    });
  }

  var pending = null;
  input.addEventListener("input", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { show(input.value); }, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(pending);
    show(input.value);
  });
  form.hidden = false;
}());
