import { describe, expect, it } from 'vitest';
import { createSettingsStore, extractToken, loadSettings, resolveBaseUrl, ServerProbe } from './server';

function memoryKV() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('token hand-over', () => {
  it('takes ?token= out of the URL, keeping the other parameters and the hash', () => {
    expect(extractToken('http://127.0.0.1:8080/?token=abc.def')).toEqual({ token: 'abc.def', cleaned: '/' });
    expect(extractToken('http://h/app/?x=1&token=t&y=2#s=zz')).toEqual({ token: 't', cleaned: '/app/?x=1&y=2#s=zz' });
    expect(extractToken('http://h/?x=1')).toEqual({ token: null, cleaned: 'http://h/?x=1' });
  });
});

describe('settings', () => {
  it('persist in storage and survive bad data', () => {
    const kv = memoryKV();
    expect(loadSettings(kv)).toEqual({ mode: 'auto', baseUrl: '', token: '' });
    const s = createSettingsStore(kv);
    s.set({ mode: 'remote', baseUrl: 'http://srv:9000/', token: 'tok' });
    expect(loadSettings(kv)).toEqual({ mode: 'remote', baseUrl: 'http://srv:9000/', token: 'tok' });
    s.set({ mode: 'auto', baseUrl: '', token: 'old', refusedToken: 'old' }); // survives a reload
    expect(loadSettings(kv)).toEqual({ mode: 'auto', baseUrl: '', token: 'old', refusedToken: 'old' });
    kv.setItem('simcore.engine', '{not json');
    expect(loadSettings(kv).mode).toBe('auto');
    kv.setItem('simcore.engine', JSON.stringify({ mode: 'warp', token: 5 }));
    expect(loadSettings(kv)).toEqual({ mode: 'auto', baseUrl: '', token: '' });
  });

  it('the base URL defaults to the page origin', () => {
    expect(resolveBaseUrl({ mode: 'auto', baseUrl: '', token: '' }, 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(resolveBaseUrl({ mode: 'auto', baseUrl: ' http://srv:9000/ ', token: '' }, 'http://x')).toBe('http://srv:9000');
  });
});

describe('ServerProbe', () => {
  function fakeFetch(answers: (() => Response | Promise<Response>)[]) {
    const urls: string[] = [];
    const f = async (url: RequestInfo | URL) => {
      urls.push(String(url));
      const a = answers.shift();
      if (!a) throw new TypeError('Failed to fetch');
      return a();
    };
    return { f: f as typeof fetch, urls };
  }

  it('GET /healthz: ok only for {"status":"ok"}; cached until the ttl passes', async () => {
    let t = 0;
    const { f, urls } = fakeFetch([
      () => Response.json({ status: 'ok', version: '1' }),
      () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }),
    ]);
    const p = new ServerProbe({ fetch: f, ttlMs: 10_000, now: () => t });
    const changes: boolean[] = [];
    p.onChange = (ok) => changes.push(ok);
    expect(await p.reachable('http://s')).toBe(true);
    expect(urls).toEqual(['http://s/healthz']);
    t = 9_000;
    expect(await p.reachable('http://s')).toBe(true); // cached
    expect(urls.length).toBe(1);
    t = 20_001;
    expect(p.cached('http://s')).toBeUndefined();
    expect(await p.reachable('http://s')).toBe(false); // a static server's index.html is not a simcore server
    t = 20_002;
    expect(await p.reachable('http://s')).toBe(false); // cached
    expect(await p.reachable('http://other')).toBe(false); // another URL is probed anew (fetch throws)
    expect(urls.length).toBe(3);
    expect(changes).toEqual([true, false, false]);
  });

  it('remembers the auth field of /healthz ("none" | "jwt"; anything else or absent: undefined)', async () => {
    let t = 0;
    const { f } = fakeFetch([
      () => Response.json({ status: 'ok', auth: 'none' }),
      () => Response.json({ status: 'ok', auth: 'jwt' }),
      () => Response.json({ status: 'ok' }),
      () => Response.json({ status: 'ok', auth: 'kerberos' }),
    ]);
    const p = new ServerProbe({ fetch: f, ttlMs: 10, now: () => t });
    expect(p.auth('http://s')).toBeUndefined(); // never probed
    expect(await p.reachable('http://s')).toBe(true);
    expect(p.auth('http://s')).toBe('none');
    expect(p.auth('http://other')).toBeUndefined();
    t += 100;
    await p.reachable('http://s');
    expect(p.auth('http://s')).toBe('jwt');
    t += 100;
    await p.reachable('http://s');
    expect(p.auth('http://s')).toBeUndefined();
    t += 100;
    await p.reachable('http://s');
    expect(p.auth('http://s')).toBeUndefined();
    t += 100;
    expect(await p.reachable('http://s')).toBe(false); // fetch throws
    expect(p.auth('http://s')).toBeUndefined();
  });

  it('mark(false) forgets the auth mode', async () => {
    const { f } = fakeFetch([() => Response.json({ status: 'ok', auth: 'none' })]);
    const p = new ServerProbe({ fetch: f, now: () => 0 });
    await p.reachable('http://s');
    p.mark('http://s', false);
    expect(p.auth('http://s')).toBeUndefined();
  });

  it('concurrent callers share one request; mark() overrides the cache', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { f, urls } = fakeFetch([async () => (await gate, Response.json({ status: 'ok' }))]);
    const p = new ServerProbe({ fetch: f, now: () => 0 });
    const a = p.reachable('http://s');
    const b = p.reachable('http://s');
    release();
    expect(await Promise.all([a, b])).toEqual([true, true]);
    expect(urls.length).toBe(1);
    p.mark('http://s', false);
    expect(await p.reachable('http://s')).toBe(false);
  });

  it('a server that does not answer in time counts as unreachable', async () => {
    const f = ((_u: string, init?: RequestInit) =>
      new Promise<Response>((_r, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as typeof fetch;
    const p = new ServerProbe({ fetch: f, timeoutMs: 1 });
    expect(await p.reachable('http://s')).toBe(false);
  });
});
