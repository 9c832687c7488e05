// "Scan a shop's code": the camera reads the QR code and the form is sent as if the resident had typed it.
// Uses the browser's own BarcodeDetector where there is one (Android, ChromeOS, macOS), else the html5-qrcode
// library served by this server (loaded only when needed). Without a camera, or without JavaScript, the resident
// types or pastes the code into the form below; nothing here is needed to pay.
(function () {
  'use strict';
  var start = document.getElementById('scan-start');
  var form = document.getElementById('pay-form');
  var field = document.getElementById('payload');
  var status = document.getElementById('scan-status');
  var area = document.getElementById('scanner');
  if (!start || !form || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  start.hidden = false;

  function say(text) {
    status.textContent = text;
  }

  function found(text) {
    field.value = text;
    say(start.dataset.found);
    form.submit();
  }

  function failed() {
    say(start.dataset.failed);
    start.disabled = false;
    field.focus();
  }

  function nativeScan() {
    var detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    var video = document.createElement('video');
    video.setAttribute('playsinline', '');
    video.muted = true;
    area.appendChild(video);
    return navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        return video.play().then(function () {
          function next() {
            detector.detect(video).then(function (codes) {
              if (codes.length > 0) {
                stream.getTracks().forEach(function (t) { t.stop(); });
                found(codes[0].rawValue);
              } else {
                requestAnimationFrame(next);
              }
            }, function () { requestAnimationFrame(next); });
          }
          next();
        });
      });
  }

  function libraryScan() {
    return new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = '/app/assets/html5-qrcode.min.js';
      script.onerror = reject;
      script.onload = function () {
        /* global Html5Qrcode, Html5QrcodeSupportedFormats */
        var reader = new Html5Qrcode('scanner', {
          formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE], verbose: false
        });
        var done = false;
        reader.start({ facingMode: 'environment' }, { fps: 10 }, function (text) {
          if (done) { return; }
          done = true;
          reader.stop().then(function () { found(text); }, function () { found(text); });
        }, function () { /* no code in this frame yet */ }).then(resolve, reject);
      };
      document.head.appendChild(script);
    });
  }

  start.addEventListener('click', function () {
    start.disabled = true;
    say(start.dataset.starting);
    var native = 'BarcodeDetector' in window
      ? window.BarcodeDetector.getSupportedFormats().then(function (f) { return f.indexOf('qr_code') >= 0; },
          function () { return false; })
      : Promise.resolve(false);
    native.then(function (useNative) {
      return useNative ? nativeScan() : libraryScan();
    }).catch(failed);
  });
})();
