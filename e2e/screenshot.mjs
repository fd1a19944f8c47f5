// Screenshots of the built app for a visual check: node screenshot.mjs [example-id ...]
import { mkdirSync } from 'node:fs';
import { launch, serveDist, OUT, waitForRunEnd } from './lib.mjs';

mkdirSync(OUT, { recursive: true });
const { server, url } = await serveDist();
const { context, close } = await launch();
try {
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.stack));
  await page.goto(url);
  await page.waitForSelector('[data-testid=run-button]');
  console.log('status:', await waitForRunEnd(page).catch((e) => e.message));
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${OUT}app-rc.png` });
  for (const id of process.argv.slice(2)) {
    await page.click('[data-testid=examples-button]');
    await page.click(`[data-testid=example-${id}]`);
    console.log(id, 'status:', await waitForRunEnd(page).catch((e) => e.message));
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${OUT}app-${id}.png` });
  }
} finally {
  await close();
  server.close();
}
