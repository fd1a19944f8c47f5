import { useEffect, useRef } from 'react';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { spiceHighlighting, spiceLanguage } from './spice-language';

export interface NetlistDiagnostic {
  line: number; // 1-based
  col: number; // 1-based, 0 = whole line
  message: string;
  severity: 'error' | 'warning';
}

export interface NetlistEditorProps {
  value: string;
  /** Called on every user edit; `pasted` when the edit was a paste or drop. */
  onChange: (text: string, how: { pasted: boolean }) => void;
  diagnostics: NetlistDiagnostic[];
  onRun?: () => void;
  /**
   * Tab indents (opt-in). Off, Tab and Shift+Tab move the focus like in any other field; on,
   * Escape then Tab leaves the editor (CodeMirror's tab focus convention).
   */
  tabIndents?: boolean;
}

/** Offsets of a diagnostic in a document: from the column to the end of the token there. */
export function diagnosticRange(doc: string, d: NetlistDiagnostic): { from: number; to: number } {
  const lines = doc.split('\n');
  const ln = Math.min(Math.max(d.line, 1), lines.length);
  let start = 0;
  for (let i = 0; i < ln - 1; i++) start += lines[i].length + 1;
  const text = lines[ln - 1];
  if (d.col <= 0) return { from: start, to: start + text.length };
  const c = Math.min(d.col - 1, text.length);
  let end = c;
  while (end < text.length && !/[\s,=()]/.test(text[end])) end++;
  if (end === c) end = Math.min(c + 1, text.length);
  return { from: start + c, to: start + end };
}

export function NetlistEditor({ value, onChange, diagnostics, onRun, tabIndents = false }: NetlistEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const tabKeys = useRef(new Compartment());
  const cb = useRef({ onChange, onRun });
  cb.current = { onChange, onRun };

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          lintGutter(),
          spiceLanguage,
          spiceHighlighting,
          tabKeys.current.of(tabIndents ? keymap.of([indentWithTab]) : []),
          // tabindex: the editable text is in the Tab order already; saying so lets checkers see
          // that its scrolling box has keyboard-focusable content.
          EditorView.contentAttributes.of({ 'aria-label': 'Netlist', tabindex: '0' }),
          keymap.of([
            { key: 'Mod-Enter', run: () => (cb.current.onRun?.(), true) },
            ...defaultKeymap,
            ...historyKeymap,
          ]),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged) return;
            const user = u.transactions.some((tr) => tr.isUserEvent('input') || tr.isUserEvent('delete') || tr.isUserEvent('undo') || tr.isUserEvent('redo') || tr.isUserEvent('move'));
            if (!user) return;
            const pasted = u.transactions.some((tr) => tr.isUserEvent('input.paste') || tr.isUserEvent('input.drop'));
            cb.current.onChange(u.state.doc.toString(), { pasted });
          }),
          EditorView.theme({
            '&': { height: '100%', fontSize: '12.5px' },
            '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
            '.cm-gutters': { background: '#f8fafc', borderRight: '1px solid #e2e8f0' },
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: tabKeys.current.reconfigure(tabIndents ? keymap.of([indentWithTab]) : []) });
  }, [tabIndents]);

  // External value changes (generated netlist, opened file) replace the text.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const cur = v.state.doc.toString();
    if (cur !== value) v.dispatch({ changes: { from: 0, to: cur.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const doc = v.state.doc.toString();
    const diags: Diagnostic[] = diagnostics
      .filter((d) => d.line > 0)
      .map((d) => ({ ...diagnosticRange(doc, d), severity: d.severity, message: d.message, source: 'simcore' }));
    v.dispatch(setDiagnostics(v.state, diags));
  }, [diagnostics, value]);

  return <div ref={host} data-testid="netlist-editor" className="h-full min-h-0 overflow-hidden bg-white" />;
}
