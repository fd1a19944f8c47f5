// The simcore server as the browser sees it: engine settings (mode, base URL,
// token) kept in localStorage, the `?token=` hand-over from the URL that
// `simcore serve` prints, and a cached reachability probe (GET /healthz, which
// also says whether the server wants a token: "auth": "none" | "jwt").
import { createStore } from '@/shared/store/create-store';
import type { EngineChoice, ServerAuth } from './policy';

export interface EngineSettings {
  mode: EngineChoice;
  /** Server base URL; '' = this page's origin (the server serves the app). */
  baseUrl: string;
  /** Bearer token ('' = none). */
  token: string;
  /** A token the server refused (expired, revoked): auto mode stops using it until another token is set. */
  refusedToken?: string;
}

const STORAGE_KEY = 'simcore.engine';
const DEFAULTS: EngineSettings = { mode: 'auto', baseUrl: '', token: '' };

type KV = Pick<Storage, 'getItem' | 'setItem'>;

function storage(): KV | null {
  try {
    return typeof localStorage === 'object' ? localStorage : null;
  } catch {
    return null; // e.g. storage disabled
  }
}

export function loadSettings(kv: KV | null = storage()): EngineSettings {
  try {
    const raw = kv?.getItem(STORAGE_KEY);
    if (!raw) return { ...DEFAULTS };
    const o = JSON.parse(raw) as Partial<EngineSettings>;
    const mode: EngineChoice = o.mode === 'local' || o.mode === 'remote' ? o.mode : 'auto';
    const s: EngineSettings = { mode, baseUrl: typeof o.baseUrl === 'string' ? o.baseUrl : '', token: typeof o.token === 'string' ? o.token : '' };
    if (typeof o.refusedToken === 'string' && o.refusedToken) s.refusedToken = o.refusedToken;
    return s;
  } catch {
    return { ...DEFAULTS };
  }
}

export function saveSettings(s: EngineSettings, kv: KV | null = storage()) {
  try {
    kv?.setItem(STORAGE_KEY, JSON.stringify(s));
  } catch {
    /* quota or disabled storage: settings last for this page only */
  }
}

/**
 * Take `?token=...` out of a page URL. Returns the token (or null) and the URL
 * to put in the address bar instead (other query parameters and the hash kept).
 */
export function extractToken(href: string): { token: string | null; cleaned: string } {
  const url = new URL(href);
  const token = url.searchParams.get('token');
  if (token === null) return { token: null, cleaned: href };
  url.searchParams.delete('token');
  return { token, cleaned: url.pathname + url.search + url.hash };
}

/** At start-up: store a token handed over in the URL and remove it from the address bar. */
export function captureTokenFromLocation(settings: { get(): EngineSettings; set(s: EngineSettings): void }): boolean {
  if (typeof location !== 'object' || typeof history !== 'object') return false;
  const { token, cleaned } = extractToken(location.href);
  if (token === null) return false;
  history.replaceState(history.state, '', cleaned);
  if (token) settings.set({ ...settings.get(), token });
  return !!token;
}

/** Base URL of the server for the given settings ('' -> the page's origin). */
export function resolveBaseUrl(s: EngineSettings, origin = typeof location === 'object' ? location.origin : 'http://127.0.0.1:8080'): string {
  return (s.baseUrl.trim() || origin).replace(/\/+$/, '');
}

export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

export interface ProbeOptions {
  fetch?: typeof fetch;
  /** How long a probe result is trusted, ms. */
  ttlMs?: number;
  /** Request timeout, ms. */
  timeoutMs?: number;
  now?: () => number;
}

interface Health {
  ok: boolean;
  auth?: ServerAuth;
}

/** Reachability (and auth mode) of one base URL via GET /healthz, cached for ttlMs. */
export class ServerProbe {
  private result: { baseUrl: string; ok: boolean; auth?: ServerAuth; at: number } | null = null;
  private inflight: { baseUrl: string; p: Promise<boolean> } | null = null;
  private readonly fetchFn: typeof fetch;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  /** Called whenever a probe finished or the state was set. */
  onChange: (reachable: boolean) => void = () => {};

  constructor(o: ProbeOptions = {}) {
    this.fetchFn = o.fetch ?? ((...a) => fetch(...a));
    this.ttlMs = o.ttlMs ?? 10_000;
    this.timeoutMs = o.timeoutMs ?? 1_500;
    this.now = o.now ?? (() => Date.now());
  }

  /** The cached answer for baseUrl, if fresh. */
  cached(baseUrl: string): boolean | undefined {
    const r = this.result;
    if (!r || r.baseUrl !== baseUrl || this.now() - r.at > this.ttlMs) return undefined;
    return r.ok;
  }

  /**
   * The `auth` field of the last /healthz answer of baseUrl ("none": no token
   * needed); undefined if it did not say, was not asked, or is unreachable.
   */
  auth(baseUrl: string): ServerAuth | undefined {
    const r = this.result;
    return r && r.baseUrl === baseUrl && r.ok ? r.auth : undefined;
  }

  /** Record an observation made elsewhere (e.g. a remote run found the server gone). */
  mark(baseUrl: string, ok: boolean, auth?: ServerAuth) {
    this.result = { baseUrl, ok, at: this.now(), ...(ok && auth ? { auth } : {}) };
    this.onChange(ok);
  }

  /** Fresh cached answer, else a new probe (concurrent callers share it). */
  reachable(baseUrl: string): Promise<boolean> {
    const c = this.cached(baseUrl);
    if (c !== undefined) return Promise.resolve(c);
    if (this.inflight?.baseUrl === baseUrl) return this.inflight.p;
    const p = this.probe(baseUrl).then(({ ok, auth }) => {
      if (this.inflight?.p === p) this.inflight = null;
      this.mark(baseUrl, ok, auth);
      return ok;
    });
    this.inflight = { baseUrl, p };
    return p;
  }

  private async probe(baseUrl: string): Promise<Health> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), this.timeoutMs);
    try {
      const res = await this.fetchFn(`${baseUrl}/healthz`, { signal: ac.signal, cache: 'no-store', headers: { accept: 'application/json' } });
      if (!res.ok) return { ok: false };
      const body = (await res.json()) as { status?: unknown; auth?: unknown };
      if (body?.status !== 'ok') return { ok: false };
      return body.auth === 'none' || body.auth === 'jwt' ? { ok: true, auth: body.auth } : { ok: true };
    } catch {
      return { ok: false }; // network error, timeout, or not JSON (a static server answering index.html)
    } finally {
      clearTimeout(timer);
    }
  }
}

export function createSettingsStore(kv: KV | null = storage()) {
  const store = createStore<EngineSettings>(loadSettings(kv));
  store.subscribe(() => saveSettings(store.get(), kv));
  return store;
}
