/* mbc-graph DOM helpers, shared by the offline views (mbc_graph/viz/render.py puts this file
 * before explorer.js in the page's script) and the served explorer (/static/dom.js).
 * Text goes in through textContent, never as markup. */
window.mbcDom = (function () {
  "use strict";

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  return { el: el, clear: clear };
})();
