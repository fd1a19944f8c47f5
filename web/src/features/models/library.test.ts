import { describe, expect, it } from 'vitest';
import { filesFor, libraryIndex, MODEL_FILES, withInclude } from './library';

describe('model library in the browser', () => {
  it('bundles the .lib files and the PLECS loss files under the paths netlists write', () => {
    expect(MODEL_FILES['models/power/packs.lib']).toMatch(/\.subckt HB_LEG_FF300R12KE3/);
    expect(MODEL_FILES['models/devices/FF300R12KE3_IGBT.xml']).toMatch(/SemiconductorLibrary/);
    expect(Object.keys(MODEL_FILES).every((p) => p.startsWith('models/'))).toBe(true);
  });

  it('sends the files only with a netlist that includes something', () => {
    expect(filesFor('t\nR1 a 0 1k\n.op\n')).toBeUndefined();
    expect(filesFor('t\n.include models/diodes.lib\nD1 a 0 D1N4148\n')).toHaveProperty(['models/diodes.lib']);
    expect(filesFor('t\n  .LIB models/bjt.lib\n')).toBeDefined();
  });

  it('lists the library with what each file holds', () => {
    const idx = libraryIndex();
    expect(idx.map((e) => e.path)).toContain('models/thermal/thermal.lib');
    expect(idx.every((e) => e.about.length > 0)).toBe(true);
  });
});

describe('withInclude', () => {
  it('adds the card after the title once', () => {
    const n = 'buck\nR1 a 0 1k\n.end\n';
    const once = withInclude(n, 'models/diodes.lib');
    expect(once.split('\n')[1]).toBe('.include models/diodes.lib');
    expect(withInclude(once, 'models/diodes.lib')).toBe(once);
    expect(withInclude('t', 'models/bjt.lib')).toBe('t\n.include models/bjt.lib');
  });
});
