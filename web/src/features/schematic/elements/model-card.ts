// .model card text for parts whose fields map one to one onto model parameters.
import type { Props } from './types';

/**
 * `.model NAME TYPE(k1=v1 k2=v2 ...)` with the props' values for `keys`, in that order.
 * Empty values are left out (the engine's default applies). `rename` maps a prop key to
 * the model parameter's name where they differ.
 */
export function modelCard(name: string, type: string, props: Props, keys: readonly string[], rename: Record<string, string> = {}): string {
  const parts = keys.filter((k) => (props[k] ?? '').trim() !== '').map((k) => `${rename[k] ?? k}=${props[k].trim()}`);
  return `.model ${name} ${type}(${parts.join(' ')})`;
}

/** A SPICE number or {expression} negated: "0.5" -> "-0.5", "-2" -> "2", "{a}" -> "{-(a)}". */
export function negate(v: string): string {
  const t = v.trim();
  if (t.startsWith('{') && t.endsWith('}')) return `{-(${t.slice(1, -1)})}`;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[a-zA-Zµ]*$/.test(t)) {
    const bare = t.replace(/^[+-]/, '');
    if (/^0*\.?0*([eE][+-]?\d+)?[a-zA-Zµ]*$/.test(bare)) return bare; // zero stays unsigned
    return t.startsWith('-') ? bare : `-${bare}`;
  }
  return `{-(${t})}`;
}

/** Yes/no select value as the 1/0 a model flag takes. */
export const flag = (v: string | undefined) => (v === 'no' ? '0' : '1');
