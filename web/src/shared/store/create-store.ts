// A tiny external store: state lives outside React; components read slices
// with useStore (useSyncExternalStore), everything else calls get/set.
import { useCallback, useRef, useSyncExternalStore } from 'react';

export interface Store<T> {
  get(): T;
  set(next: T | ((prev: T) => T)): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(next) {
      const value = typeof next === 'function' ? (next as (p: T) => T)(state) : next;
      if (Object.is(value, state)) return;
      state = value;
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Read a slice of a store; re-renders when the slice changes (Object.is, or `equal`). */
export function useStore<T, S>(store: Store<T>, select: (s: T) => S, equal: (a: S, b: S) => boolean = Object.is): S {
  const last = useRef<{ state: T; slice: S } | null>(null);
  const getSnapshot = useCallback(() => {
    const state = store.get();
    const prev = last.current;
    if (prev && prev.state === state) return prev.slice;
    const slice = select(state);
    if (prev && equal(prev.slice, slice)) {
      last.current = { state, slice: prev.slice };
      return prev.slice;
    }
    last.current = { state, slice };
    return slice;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, select]);
  return useSyncExternalStore(store.subscribe, getSnapshot, getSnapshot);
}

export function shallowEqual<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}
