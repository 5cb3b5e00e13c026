// The search page (search/index.html, <div id="gx-search">): Pagefind's interface over the
// site's split index in pagefind/, loaded only on that page. Pagefind fetches the index
// fragments a query needs (a few tens of KB), never an index of every agency. The query
// comes from the search form every page carries (?q=…).
// Material's instant navigation swaps pages without a reload: hook into its document$
// observable when it exists, and into DOMContentLoaded otherwise.
(function () {
  var BASE = (document.currentScript && document.currentScript.src || "").replace(/assets\/search\.js([?#].*)?$/,
                                                                                  "pagefind/");
  var loading = null;

  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = BASE + "pagefind-ui.css";
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = BASE + "pagefind-ui.js";
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return loading;
  }

  function mount() {
    var holder = document.getElementById("gx-search");
    if (!holder || holder.getAttribute("data-ready")) return;
    holder.setAttribute("data-ready", "1");
    load().then(function () {
      // Results are addresses from the site's root: the root is where assets/ sits, which
      // is not "/" on a site served from a subfolder.
      var root = new URL("..", BASE).pathname;
      var ui = new PagefindUI({element: holder, showImages: false, showSubResults: false, resetStyles: false,
                               bundlePath: BASE, baseUrl: root,
                               translations: {placeholder: "搜索机关：名称、拼音或地名"}});
      var query = new URLSearchParams(window.location.search).get("q");
      if (query) ui.triggerSearch(query);
    }, function () {
      holder.textContent = "搜索索引未能加载。可以在首页的机关列表中按名称查找。";
    });
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
