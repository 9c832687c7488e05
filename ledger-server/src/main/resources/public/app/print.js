// The shop's QR poster: a Print button (the browser's own print works without it).
(function () {
  'use strict';
  var button = document.getElementById('print');
  if (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  }
})();
