// The mood explorer (pipelines/reports/explorer.py). Text only: every value is set with textContent.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("explorer-data").textContent);
  var MIN_VOTES = 10, BEST = 20, MATCHES = 10;
  // movie row: [id, title, year, rating x10, votes, [genre idx], [keyword idx], mood idx, mood2 idx|null, [rec ids],
  //             1 when the movie has its own page (movies-<id>.html), else 0]
  var byId = new Map();
  data.movies.forEach(function (m) { byId.set(m[0], m); });
  var lowerTitles = data.movies.map(function (m) { return m[1].toLowerCase(); });
  var $ = function (id) { return document.getElementById(id); };

  function el(name, text, cls) {
    var node = document.createElement(name);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function option(select, value, text) {
    var o = el("option", text); o.value = value; select.appendChild(o);
  }
  function moodsOf(m) {
    return data.moods[m[7]] + (m[8] !== null ? " / " + data.moods[m[8]] : "");
  }
  // the movie's own page, when the site has one: a link after the row's label
  function pageLink(item, m) {
    if (!m[10]) return;
    item.appendChild(document.createTextNode(" "));
    var page = el("a", "page", "page"); page.href = "movies-" + m[0] + ".html";
    item.appendChild(page);
  }
  function label(m) {
    var rating = m[3] === null ? "" : " · " + (m[3] / 10).toFixed(1);
    return m[1] + (m[2] ? " (" + m[2] + ")" : "") + rating;
  }

  data.moods.forEach(function (mood, i) { option($("x-mood"), i, mood); });
  data.genres.forEach(function (genre, i) { option($("x-genre"), i, genre); });
  var decades = Array.from(new Set(data.movies.filter(function (m) { return m[2]; })
    .map(function (m) { return Math.floor(m[2] / 10) * 10; }))).sort().reverse();
  decades.forEach(function (d) { option($("x-decade"), d, d + "s"); });

  function best() {
    var mood = Number($("x-mood").value);
    var genre = $("x-genre").value === "" ? null : Number($("x-genre").value);
    var decade = $("x-decade").value === "" ? null : Number($("x-decade").value);
    var hits = data.movies.filter(function (m) {
      return (m[7] === mood || m[8] === mood) && m[4] >= MIN_VOTES && m[3] !== null &&
        (genre === null || m[5].indexOf(genre) >= 0) &&
        (decade === null || (m[2] && Math.floor(m[2] / 10) * 10 === decade));
    });
    hits.sort(function (a, b) { return (b[7] === mood) - (a[7] === mood) || b[3] - a[3] || b[4] - a[4]; });
    var list = $("x-best");
    list.replaceChildren();
    hits.slice(0, BEST).forEach(function (m) {
      var item = el("li");
      var link = el("a", label(m)); link.href = "#"; link.dataset.id = m[0];
      item.appendChild(link);
      pageLink(item, m);
      item.appendChild(el("span", " " + moodsOf(m), "muted"));
      list.appendChild(item);
    });
    if (!hits.length) list.appendChild(el("li", "No movie with this mood here.", "muted"));
    document.documentElement.dataset.explorerReady = "true";
  }

  function show(m) {
    var box = $("x-movie");
    box.replaceChildren();
    var heading = el("h2", label(m));
    pageLink(heading, m);
    box.appendChild(heading);
    box.appendChild(el("p", "Moods: " + moodsOf(m)));
    var why = [];
    if (m[5].length) why.push("genres: " + m[5].map(function (g) { return data.genres[g]; }).join(", "));
    if (m[6].length) why.push("keywords: " + m[6].map(function (k) { return data.keywords[k]; }).join(", "));
    box.appendChild(el("p", "Why: " + (why.join("; ") || "its overview"), "why"));
    box.appendChild(el("h3", "More like this"));
    var recs = el("ul", null, "recs");
    m[9].forEach(function (id) {
      var r = byId.get(id);
      if (!r) return;
      var item = el("li"); var link = el("a", label(r)); link.href = "#"; link.dataset.id = r[0];
      item.appendChild(link); pageLink(item, r); item.appendChild(el("span", " " + moodsOf(r), "muted"));
      recs.appendChild(item);
    });
    if (!recs.children.length) recs.appendChild(el("li", "No recommendation yet.", "muted"));
    box.appendChild(recs);
  }

  function search() {
    var q = $("x-title").value.trim().toLowerCase();
    var list = $("x-matches");
    list.replaceChildren();
    if (q.length < 2) return;
    var found = 0;
    for (var i = 0; i < lowerTitles.length && found < MATCHES; i++) {
      if (lowerTitles[i].indexOf(q) >= 0) {
        var m = data.movies[i];
        var item = el("li"); var link = el("a", label(m)); link.href = "#"; link.dataset.id = m[0];
        item.appendChild(link); pageLink(item, m); list.appendChild(item); found++;
        if (found === 1) show(m);
      }
    }
    if (!found) list.appendChild(el("li", "No title matches.", "muted"));
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-id]");
    if (!link) return;
    event.preventDefault();
    var m = byId.get(Number(link.dataset.id));
    if (m) show(m);
  });
  ["x-mood", "x-genre", "x-decade"].forEach(function (id) { $(id).addEventListener("change", best); });
  $("x-title").addEventListener("input", search);
  best();
})();
