/**
 * Azure Functions route templates (ASP.NET-style): literals match case-insensitively, `{id}`,
 * `{id:int}`, `{id?}`, `{*rest}`, and complex segments like `{name}.{ext}`.
 * Ordering follows ASP.NET route precedence so `bots/new` wins over `bots/{id}`.
 */

type Constraint = (value: string) => boolean;

interface ParamPart {
  readonly kind: 'param';
  readonly name: string;
  readonly optional: boolean;
  readonly catchAll: boolean;
  readonly constraints: readonly Constraint[];
}
interface LiteralPart {
  readonly kind: 'literal';
  readonly text: string;
}
type Part = ParamPart | LiteralPart;

interface Segment {
  readonly parts: readonly Part[];
  readonly regex: RegExp;
  /** ASP.NET precedence digit: 1 literal, 2 complex, 3 constrained param, 4 param, 5 catch-all. */
  readonly precedence: number;
}

export interface RouteTemplate {
  readonly source: string;
  readonly segments: readonly Segment[];
  /** Sorts templates: lower first. */
  readonly precedenceKey: string;
}

const INT = /^-?\d+$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const GUID = /^\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\}?$/;

function constraintFor(spec: string, template: string): Constraint {
  const m = /^(\w+)(?:\((.*)\))?$/.exec(spec);
  if (!m) throw new Error(`Route "${template}": invalid constraint "${spec}".`);
  const name = m[1]!.toLowerCase();
  const args = m[2]?.split(',').map((s) => s.trim()) ?? [];
  const num = (i: number): number => {
    const v = Number(args[i]);
    if (!Number.isFinite(v)) throw new Error(`Route "${template}": constraint "${spec}" needs a number.`);
    return v;
  };
  switch (name) {
    case 'int':
      return (v) => INT.test(v) && Math.abs(Number(v)) <= 2147483648;
    case 'long':
      return (v) => INT.test(v);
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'alpha':
      return (v) => /^[a-z]+$/i.test(v);
    case 'guid':
      return (v) => GUID.test(v);
    case 'double':
    case 'float':
    case 'decimal':
      return (v) => DECIMAL.test(v);
    case 'datetime':
      return (v) => !Number.isNaN(Date.parse(v));
    case 'minlength': {
      const n = num(0);
      return (v) => v.length >= n;
    }
    case 'maxlength': {
      const n = num(0);
      return (v) => v.length <= n;
    }
    case 'length': {
      const a = num(0);
      const b = args.length > 1 ? num(1) : a;
      return (v) => v.length >= a && v.length <= b;
    }
    case 'min': {
      const n = num(0);
      return (v) => INT.test(v) && Number(v) >= n;
    }
    case 'max': {
      const n = num(0);
      return (v) => INT.test(v) && Number(v) <= n;
    }
    case 'range': {
      const a = num(0);
      const b = num(1);
      return (v) => INT.test(v) && Number(v) >= a && Number(v) <= b;
    }
    case 'regex': {
      const re = new RegExp(m[2] ?? '', 'i');
      return (v) => re.test(v);
    }
    default:
      throw new Error(`Route "${template}": unknown constraint "${spec}".`);
  }
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function parseSegment(raw: string, template: string, isLast: boolean): Segment {
  const parts: Part[] = [];
  let i = 0;
  while (i < raw.length) {
    const open = raw.indexOf('{', i);
    if (open === -1) {
      parts.push({ kind: 'literal', text: raw.slice(i) });
      break;
    }
    if (open > i) parts.push({ kind: 'literal', text: raw.slice(i, open) });
    const close = raw.indexOf('}', open);
    if (close === -1) throw new Error(`Route "${template}": unclosed "{".`);
    let body = raw.slice(open + 1, close);
    const catchAll = body.startsWith('*');
    if (catchAll) body = body.replace(/^\*+/, '');
    const optional = body.endsWith('?');
    if (optional) body = body.slice(0, -1);
    const [name, ...specs] = body.split(':');
    if (!name || !/^\w+$/.test(name)) throw new Error(`Route "${template}": invalid parameter "{${raw.slice(open + 1, close)}}".`);
    if (catchAll && !isLast) throw new Error(`Route "${template}": a catch-all parameter must be the last segment.`);
    parts.push({ kind: 'param', name, optional, catchAll, constraints: specs.map((s) => constraintFor(s, template)) });
    i = close + 1;
  }
  const params = parts.filter((p): p is ParamPart => p.kind === 'param');
  if (parts.length > 1 && params.some((p) => p.optional || p.catchAll)) {
    throw new Error(`Route "${template}": optional and catch-all parameters must fill a whole segment.`);
  }
  const pattern = parts
    .map((p) => (p.kind === 'literal' ? escapeRegex(p.text) : p.catchAll ? '(.*)' : '([^/]+?)'))
    .join('');
  let precedence = 1;
  const only = parts.length === 1 ? parts[0] : undefined;
  if (parts.length > 1) precedence = 2;
  else if (only?.kind === 'param') precedence = only.catchAll ? 5 : only.constraints.length > 0 ? 3 : 4;
  return { parts, regex: new RegExp(`^${pattern}$`, 'is'), precedence };
}

export function parseRouteTemplate(template: string): RouteTemplate {
  const trimmed = template.replace(/^\/+|\/+$/g, '');
  const rawSegments = trimmed === '' ? [] : trimmed.split('/');
  const segments = rawSegments.map((s, i) => parseSegment(s, template, i === rawSegments.length - 1));
  let seenOptional = false;
  for (const seg of segments) {
    const p = seg.parts[0];
    const optional = seg.parts.length === 1 && p?.kind === 'param' && (p.optional || p.catchAll);
    if (seenOptional && !optional) throw new Error(`Route "${template}": only trailing segments may be optional.`);
    seenOptional ||= optional;
  }
  return {
    source: template,
    segments,
    precedenceKey: segments.map((s) => String(s.precedence)).join('') + '9',
  };
}

/** Returns decoded params when `path` (without the route prefix, no leading slash) matches. */
export function matchRoute(route: RouteTemplate, path: string): Record<string, string> | undefined {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  const pathSegments = trimmed === '' ? [] : trimmed.split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    const first = seg.parts[0];
    if (first?.kind === 'param' && first.catchAll) {
      const rest = pathSegments.slice(i).join('/');
      if (rest !== '' || !first.optional) params[first.name] = safeDecode(rest);
      return first.constraints.every((c) => rest === '' || c(rest)) ? params : undefined;
    }
    const value = pathSegments[i];
    if (value === undefined) {
      if (seg.parts.length === 1 && first?.kind === 'param' && first.optional) continue;
      return undefined;
    }
    const m = seg.regex.exec(value);
    if (!m) return undefined;
    let group = 1;
    for (const part of seg.parts) {
      if (part.kind !== 'param') continue;
      const decoded = safeDecode(m[group++] ?? '');
      if (!part.constraints.every((c) => c(decoded))) return undefined;
      params[part.name] = decoded;
    }
  }
  return pathSegments.length <= route.segments.length ? params : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function compareRoutes(a: RouteTemplate, b: RouteTemplate): number {
  if (a.precedenceKey !== b.precedenceKey) return a.precedenceKey < b.precedenceKey ? -1 : 1;
  return a.source.localeCompare(b.source);
}
