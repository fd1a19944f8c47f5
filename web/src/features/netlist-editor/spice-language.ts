// A small SPICE mode for CodeMirror 6: title line, comments, dot cards,
// element names, numbers with scale suffixes, {expressions}, continuations.
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

interface State {
  line: number;
}

const WAVES = /^(pulse|sin|pwl|exp|sffm|am|trnoise|trrandom|dc|ac)\b/i;

export const spiceLanguage = StreamLanguage.define<State>({
  name: 'spice',
  startState: () => ({ line: 0 }),
  token(stream, state) {
    if (stream.sol()) {
      state.line++;
      if (state.line === 1) {
        stream.skipToEnd();
        return 'heading';
      }
      if (stream.peek() === '*') {
        stream.skipToEnd();
        return 'comment';
      }
      if (stream.peek() === '+') {
        stream.next();
        return 'operator';
      }
      if (stream.match(/^\.[a-z_]+/i)) return 'keyword';
      if (stream.match(/^[a-z][\w.]*/i)) return 'variableName.definition';
    }
    if (stream.eatSpace()) return null;
    const ch = stream.peek();
    if (ch === ';' || (ch === '$' && /\s/.test(stream.string.charAt(stream.pos - 1) || ' '))) {
      stream.skipToEnd();
      return 'comment';
    }
    if (ch === '{') {
      stream.skipTo('}') ? stream.next() : stream.skipToEnd();
      return 'string';
    }
    if (ch === "'") {
      stream.next();
      stream.skipTo("'") ? stream.next() : stream.skipToEnd();
      return 'string';
    }
    if (stream.match(/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?[a-zµ]*/i)) return 'number';
    if (stream.match(WAVES)) return 'typeName';
    if (stream.match(/^[a-z_][\w.]*/i)) return 'variableName';
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '*' } },
});

const style = HighlightStyle.define([
  { tag: t.heading, color: '#0f766e', fontWeight: '600' },
  { tag: t.comment, color: '#64748b', fontStyle: 'italic' },
  { tag: t.keyword, color: '#7c3aed', fontWeight: '600' },
  { tag: t.definition(t.variableName), color: '#1d4ed8', fontWeight: '600' },
  { tag: t.number, color: '#b45309' },
  { tag: t.string, color: '#be185d' },
  { tag: t.typeName, color: '#0e7490', fontWeight: '600' },
  { tag: t.operator, color: '#64748b' },
]);

export const spiceHighlighting = syntaxHighlighting(style);
