// "Show my code": counts down the seconds the code on screen stays valid. The code itself is renewed by htmx (or,
// without JavaScript, by the page's refresh) before it expires; this only tells the resident how long is left.
(function () {
  'use strict';
  function tick() {
    document.querySelectorAll('.remaining[data-expires]').forEach(function (el) {
      var left = Math.round((Date.parse(el.dataset.expires) - Date.now()) / 1000);
      el.textContent = left > 0 ? el.dataset.left.replace('{0}', String(left)) : el.dataset.expired;
    });
  }
  tick();
  setInterval(tick, 1000);
})();
