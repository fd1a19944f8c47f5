// The schematic's context menu: part and canvas actions, keyboard navigable (arrows, Enter,
// Escape gives the focus back to the canvas).
import { useLayoutEffect, useRef } from 'react';
import type { MenuAction, MenuState } from '../editor/machine';

export type { MenuAction, MenuState };

export function ContextMenu({ menu, hasSelection, canPaste, probeLabel, onAction, onClose }: { menu: MenuState; hasSelection: boolean; canPaste: boolean; probeLabel?: string; onAction: (a: MenuAction) => void; onClose: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  // The first item takes the focus, so the arrow keys, Enter and Escape work at once.
  useLayoutEffect(() => box.current?.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus({ preventScroll: true }), []);
  const items: { key: MenuAction; label: string; hint: string; enabled: boolean }[] = [
    { key: 'rotate', label: 'Rotate', hint: 'R', enabled: hasSelection },
    { key: 'mirror', label: 'Mirror', hint: 'M', enabled: hasSelection },
    { key: 'copy', label: 'Copy', hint: 'Ctrl+C', enabled: hasSelection },
    { key: 'cut', label: 'Cut', hint: 'Ctrl+X', enabled: hasSelection },
    { key: 'paste', label: 'Paste here', hint: 'Ctrl+V', enabled: canPaste },
    { key: 'duplicate', label: 'Duplicate', hint: 'Ctrl+D', enabled: hasSelection },
    { key: 'remove', label: 'Delete', hint: 'Del', enabled: hasSelection },
    ...(probeLabel ? [{ key: 'probe' as const, label: probeLabel, hint: 'P', enabled: true }] : []),
    { key: 'selectAll', label: 'Select all', hint: 'Ctrl+A', enabled: true },
    { key: 'fit', label: 'Zoom to fit', hint: 'F', enabled: true },
  ];
  return (
    <div
      ref={box}
      role="menu"
      aria-label={menu.target ? 'Part actions' : 'Canvas actions'}
      data-testid="context-menu"
      className="w-48 rounded-md bg-white py-1 text-xs text-slate-800 shadow-xl ring-1 ring-slate-200"
      onPointerDown={(e) => e.stopPropagation()}
      onContextMenu={(e) => {
        e.preventDefault();
        e.stopPropagation();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
          document.querySelector<SVGSVGElement>('[data-testid=schematic-canvas]')?.focus({ preventScroll: true });
        } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const bs = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button:not([disabled])')];
          const i = bs.indexOf(document.activeElement as HTMLButtonElement);
          bs[(i + (e.key === 'ArrowDown' ? 1 : bs.length - 1)) % bs.length]?.focus();
        }
      }}
    >
      {items.map((it) => (
        <button
          key={it.key}
          role="menuitem"
          disabled={!it.enabled}
          data-testid={`menu-${it.key}`}
          className="flex w-full justify-between px-3 py-1 text-left hover:bg-blue-50 focus:bg-blue-50 focus:outline-none disabled:text-slate-300 disabled:hover:bg-transparent"
          onClick={() => {
            onAction(it.key);
            // Back to the canvas, so its shortcuts work again.
            document.querySelector<SVGSVGElement>('[data-testid=schematic-canvas]')?.focus({ preventScroll: true });
          }}
        >
          <span>{it.label}</span>
          <span className="text-slate-400">{it.hint}</span>
        </button>
      ))}
    </div>
  );
}
