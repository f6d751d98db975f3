/**
 * The OData-like `filter` of the service's send and add/remove-to-groups calls, compiled once to a
 * predicate over a connection. Supported: `userId`, `connectionId`, `groups`; `eq ne gt ge lt le`
 * between identifiers, 'strings' and `null`; `'<group>' in groups`; `and`, `or`, `not`, parentheses.
 * Example: `userId ne 'bob' and ('md.sim.BTC' in groups or connectionId eq 'abc')`.
 */
import { appError, err, ok, type Result } from '../../shared/core/result.js';

export interface FilterSubject {
  readonly connectionId: string;
  readonly userId: string | undefined;
  readonly groups: ReadonlySet<string>;
}

export type ConnectionFilter = (subject: FilterSubject) => boolean;

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'word'; value: string }
  | { kind: 'paren'; value: '(' | ')' };

type Operand = { kind: 'field'; name: 'userId' | 'connectionId' } | { kind: 'literal'; value: string | null };

const COMPARATORS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export function compileConnectionFilter(filter: string): Result<ConnectionFilter> {
  const tokens = tokenize(filter);
  if (!tokens.ok) return tokens;
  try {
    const parser = new Parser(tokens.value);
    const predicate = parser.parseExpression();
    parser.expectEnd();
    return ok(predicate);
  } catch (e) {
    return err(appError('WPS.FILTER_INVALID', `filter ${JSON.stringify(filter)}: ${(e as Error).message}`));
  }
}

function tokenize(text: string): Result<Token[]> {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ kind: 'paren', value: ch });
      i++;
    } else if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) return err(appError('WPS.FILTER_INVALID', `filter ${JSON.stringify(text)}: unterminated string`));
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ kind: 'string', value });
    } else {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
      if (!match) return err(appError('WPS.FILTER_INVALID', `filter ${JSON.stringify(text)}: unexpected ${JSON.stringify(ch)} at ${i}`));
      tokens.push({ kind: 'word', value: match[0] });
      i += match[0].length;
    }
  }
  return ok(tokens);
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  parseExpression(): ConnectionFilter {
    let left = this.parseAnd();
    while (this.peekWord('or')) {
      this.pos++;
      const l = left;
      const r = this.parseAnd();
      left = (s) => l(s) || r(s);
    }
    return left;
  }

  expectEnd(): void {
    if (this.pos < this.tokens.length) throw new Error(`unexpected ${describe(this.tokens[this.pos]!)}`);
  }

  private parseAnd(): ConnectionFilter {
    let left = this.parseUnary();
    while (this.peekWord('and')) {
      this.pos++;
      const l = left;
      const r = this.parseUnary();
      left = (s) => l(s) && r(s);
    }
    return left;
  }

  private parseUnary(): ConnectionFilter {
    if (this.peekWord('not')) {
      this.pos++;
      const inner = this.parseUnary();
      return (s) => !inner(s);
    }
    const t = this.tokens[this.pos];
    if (t?.kind === 'paren' && t.value === '(') {
      this.pos++;
      const inner = this.parseExpression();
      const close = this.tokens[this.pos];
      if (close?.kind !== 'paren' || close.value !== ')') throw new Error('missing )');
      this.pos++;
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): ConnectionFilter {
    const left = this.parseOperand();
    const op = this.tokens[this.pos];
    if (op?.kind !== 'word') throw new Error(op ? `expected an operator, got ${describe(op)}` : 'expected an operator');
    const opName = op.value.toLowerCase();
    this.pos++;
    if (opName === 'in') {
      const target = this.tokens[this.pos];
      if (target?.kind !== 'word' || target.value.toLowerCase() !== 'groups') throw new Error('"in" must be followed by groups');
      this.pos++;
      if (left.kind !== 'literal' || left.value === null) throw new Error('"in groups" needs a string on its left');
      const group = left.value;
      return (s) => s.groups.has(group);
    }
    if (!COMPARATORS.has(opName)) throw new Error(`unknown operator ${op.value}`);
    const right = this.parseOperand();
    return (s) => compare(opName, valueOf(left, s), valueOf(right, s));
  }

  private parseOperand(): Operand {
    const t = this.tokens[this.pos];
    if (!t) throw new Error('unexpected end of filter');
    this.pos++;
    if (t.kind === 'string') return { kind: 'literal', value: t.value };
    if (t.kind === 'word') {
      const lower = t.value.toLowerCase();
      if (lower === 'null') return { kind: 'literal', value: null };
      if (lower === 'userid') return { kind: 'field', name: 'userId' };
      if (lower === 'connectionid') return { kind: 'field', name: 'connectionId' };
    }
    throw new Error(`unexpected ${describe(t)}`);
  }

  private peekWord(word: string): boolean {
    const t = this.tokens[this.pos];
    return t?.kind === 'word' && t.value.toLowerCase() === word;
  }
}

function valueOf(operand: Operand, s: FilterSubject): string | null {
  if (operand.kind === 'literal') return operand.value;
  return operand.name === 'userId' ? (s.userId ?? null) : s.connectionId;
}

function compare(op: string, a: string | null, b: string | null): boolean {
  if (op === 'eq') return a === b;
  if (op === 'ne') return a !== b;
  if (a === null || b === null) return false;
  const c = a < b ? -1 : a > b ? 1 : 0;
  return op === 'gt' ? c > 0 : op === 'ge' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
}

function describe(t: Token): string {
  return t.kind === 'string' ? `'${t.value}'` : JSON.stringify(t.value);
}
