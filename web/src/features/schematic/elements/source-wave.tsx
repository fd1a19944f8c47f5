// DC / PULSE / SIN / PWL waveform fields and netlist text, shared by V and I sources.
import type { FieldDef, Props } from './types';

export const WAVES = ['dc', 'pulse', 'sin', 'pwl'] as const;

export function waveFields(unit: string): FieldDef[] {
  const is = (w: string) => (p: Props) => p.wave === w;
  return [
    { key: 'wave', label: 'Waveform', type: 'select', options: WAVES },
    { key: 'dc', label: 'DC value', type: 'value', unit },
    { key: 'ac', label: 'AC magnitude', type: 'value', unit, placeholder: 'none' },
    { key: 'v1', label: 'Initial', type: 'value', unit, when: is('pulse') },
    { key: 'v2', label: 'Pulsed', type: 'value', unit, when: is('pulse') },
    { key: 'td', label: 'Delay', type: 'value', unit: 's', when: (p) => p.wave === 'pulse' || p.wave === 'sin' },
    { key: 'tr', label: 'Rise time', type: 'value', unit: 's', when: is('pulse') },
    { key: 'tf', label: 'Fall time', type: 'value', unit: 's', when: is('pulse') },
    { key: 'pw', label: 'Pulse width', type: 'value', unit: 's', when: is('pulse') },
    { key: 'per', label: 'Period', type: 'value', unit: 's', when: is('pulse') },
    { key: 'vo', label: 'Offset', type: 'value', unit, when: is('sin') },
    { key: 'va', label: 'Amplitude', type: 'value', unit, when: is('sin') },
    { key: 'freq', label: 'Frequency', type: 'value', unit: 'Hz', when: is('sin') },
    { key: 'theta', label: 'Damping', type: 'value', unit: '1/s', when: is('sin') },
    { key: 'phase', label: 'Phase', type: 'value', unit: '°', when: is('sin') },
    { key: 'pwl', label: 'PWL points (t v ...)', type: 'text', when: is('pwl'), placeholder: '0 0 1m 1 2m 0' },
  ];
}

export const waveDefaults: Props = {
  wave: 'dc',
  dc: '1',
  ac: '',
  v1: '0',
  v2: '1',
  td: '0',
  tr: '1n',
  tf: '1n',
  pw: '0.5m',
  per: '1m',
  vo: '0',
  va: '1',
  freq: '1k',
  theta: '0',
  phase: '0',
  pwl: '0 0 1m 1',
};

/** "DC 1 AC 1 PULSE(0 1 0 1n 1n 0.5m 1m)" */
export function waveSpec(p: Props): string {
  const parts = [`DC ${p.dc || '0'}`];
  if (p.ac && p.ac.trim()) parts.push(`AC ${p.ac.trim()}`);
  switch (p.wave) {
    case 'pulse':
      parts.push(`PULSE(${[p.v1, p.v2, p.td, p.tr, p.tf, p.pw, p.per].map((v) => v || '0').join(' ')})`);
      break;
    case 'sin': {
      const args = [p.vo, p.va, p.freq, p.td, p.theta].map((v) => v || '0');
      const phase = (p.phase ?? '').trim();
      if (phase && phase !== '0') args.push(phase);
      parts.push(`SIN(${args.join(' ')})`);
      break;
    }
    case 'pwl':
      parts.push(`PWL(${(p.pwl || '0 0').trim()})`);
      break;
  }
  return parts.join(' ');
}

export function waveCaption(p: Props, unit: string): string {
  switch (p.wave) {
    case 'pulse':
      return `PULSE ${p.v1}${unit}→${p.v2}${unit}`;
    case 'sin':
      return `SIN ${p.va}${unit} ${p.freq}Hz`;
    case 'pwl':
      return 'PWL';
    default:
      return `${p.dc}${unit}${p.ac ? ` AC ${p.ac}` : ''}`;
  }
}

/** A glyph inside the source circle for the waveform. */
export function WaveGlyph({ wave }: { wave: string }) {
  switch (wave) {
    case 'pulse':
      return <path d="M-8 4 L-4 4 L-4 -4 L3 -4 L3 4 L8 4" />;
    case 'sin':
      return <path d="M-8 0 C-5 -9 -2 -9 0 0 C2 9 5 9 8 0" />;
    case 'pwl':
      return <path d="M-8 5 L-3 -5 L2 2 L8 -4" />;
    default:
      return null;
  }
}
