// Starts the service worker (static/sw.js), offers a new deployment when there is one, and says
// when the page is offline. Put into index.html by the release build only
// (scripts/offline-build.mjs), with BUILD set to the build's version: `trunk serve` (development)
// never has a worker. Plain DOM rather than the app's: it shows before the app has started (an
// offline start), and it costs the app's module nothing.
const BUILD = 'development';

// Offline: the page shows what it keeps; the fetch loop waits for the network (src/fetch_loop.rs).
// Above the page's outline, which the app replaces when it starts: the line stays.
const offline = document.createElement('p');
offline.className = 'notice offline-notice';
offline.setAttribute('role', 'status');
offline.dataset.testid = 'offline-notice';
offline.textContent = 'You are offline: the page shows the topics and papers it keeps. Fetch waits until the network is back.';
const showOffline = () => { offline.hidden = navigator.onLine; };
showOffline();
(document.getElementById('shell') ?? document.body.lastChild).before(offline);
addEventListener('online', showOffline);
addEventListener('offline', showOffline);
const sw = navigator.serviceWorker;
if (sw) {
  let switching = false;
  sw.addEventListener('controllerchange', () => {
    // Only when the user asked for it: a first install or a silent switch keeps the page.
    if (switching) location.reload();
  });

  /** The version a worker keeps; null if it does not say within a second. */
  const versionOf = (worker) => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => resolve(e.data);
    setTimeout(() => resolve(null), 1000);
    worker.postMessage('version', [channel.port2]);
  });

  const offer = (worker) => {
    if (document.querySelector('.update-offer')) return;
    const bar = document.createElement('div');
    bar.className = 'update-offer';
    bar.setAttribute('role', 'status');
    bar.dataset.testid = 'update-offer';
    bar.append('A new version is ready \u2014 ');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Reload';
    button.dataset.testid = 'update-reload';
    button.onclick = () => {
      switching = true;
      // Already switched by another tab: there will be no controllerchange here.
      if (worker.state === 'activated' || worker.state === 'redundant') location.reload();
      else worker.postMessage('skip-waiting');
    };
    bar.append(button);
    document.body.append(bar);
  };

  /** A worker installed and waiting: this page's own build switches silently, another is offered. */
  const consider = async (worker) => {
    if (await versionOf(worker) === BUILD) worker.postMessage('skip-waiting');
    else offer(worker);
  };
  const track = (worker) => {
    if (!worker) return;
    if (worker.state === 'installed') consider(worker);
    else worker.addEventListener('statechange', () => { if (worker.state === 'installed') consider(worker); });
  };

  sw.register('/sw.js').then((registration) => {
    track(registration.waiting);
    registration.addEventListener('updatefound', () => {
      // Without a controller this is the first install: it takes the page over by itself.
      if (sw.controller) track(registration.installing);
    });
    // A page left open for days still hears of a new deployment: look when it comes back to
    // the front, and hourly.
    const look = () => registration.update().catch(() => {});
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') look(); });
    setInterval(look, 3_600_000);
  }, () => {});
}
