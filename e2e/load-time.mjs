// First load of the app, cold (new browser profile: nothing cached) and cached (a reload once
// the service worker has precached everything), in Debian's chromium against the production
// build on a local static server. Times are from navigation start (performance.now() in the
// page): the Run button on screen (the app is interactive) and the start-up example's run done
// (wasm engine fetched, compiled and run). Usage: node e2e/load-time.mjs [repeats] (after make web)
import { launch, serveDist } from './lib.mjs';

const repeats = Number(process.argv[2] ?? 3);
const { server, url } = await serveDist();

async function measure(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        let interactive = null;
        const tick = () => {
          const now = performance.now();
          if (interactive === null && document.querySelector('[data-testid=run-button]')) interactive = now;
          const s = document.querySelector('[data-testid=status]')?.getAttribute('data-state');
          if (interactive !== null && (s === 'done' || s === 'error')) {
            return resolve({ interactive, done: now, status: s });
          }
          requestAnimationFrame(tick);
        };
        tick();
      }),
  );
}

const rows = [];
for (let i = 0; i < repeats; i++) {
  const browser = await launch(); // a new profile each time: cold
  try {
    const page = await browser.context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    rows.push({ kind: 'cold', ...(await measure(page)) });
    // Wait until the service worker is active and has the wasm precached (the reload is then
    // served by it).
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForFunction(async () => {
      for (const k of await caches.keys()) if ((await (await caches.open(k)).keys()).some((r) => r.url.endsWith('.wasm'))) return true;
      return false;
    });
    await page.reload({ waitUntil: 'commit' });
    rows.push({ kind: 'cached', ...(await measure(page)), controlled: await page.evaluate(() => !!navigator.serviceWorker.controller) });
  } finally {
    await browser.close();
  }
}
server.close();

const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
console.log(`\nFirst load, headless chromium, local static server; median of ${repeats} (ms from navigation start).\n`);
if (rows.some((r) => r.kind === 'cached' && !r.controlled)) console.log('(warning: a cached load was not served by the service worker)');
console.log('| load | Run button shown (ms) | start-up example done (ms) |');
console.log('|---|---:|---:|');
for (const kind of ['cold', 'cached']) {
  const r = rows.filter((x) => x.kind === kind);
  console.log(`| ${kind} | ${med(r.map((x) => x.interactive)).toFixed(0)} | ${med(r.map((x) => x.done)).toFixed(0)} |`);
}
