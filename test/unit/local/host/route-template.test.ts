import { compareRoutes, matchRoute, parseRouteTemplate } from '../../../../local/host/route-template';

describe('route templates', () => {
  const m = (template: string, path: string) => matchRoute(parseRouteTemplate(template), path);

  it('matches literals case-insensitively and binds parameters', () => {
    expect(m('bots/{id}', 'BOTS/abc')).toEqual({ id: 'abc' });
    expect(m('bots/{id}/orders', 'bots/x/orders')).toEqual({ id: 'x' });
    expect(m('bots/{id}', 'bots')).toBeUndefined();
    expect(m('bots/{id}', 'bots/a/b')).toBeUndefined();
  });

  it('decodes percent-encoded values', () => {
    expect(m('symbols/{s}', 'symbols/BTC%2FUSD')).toEqual({ s: 'BTC/USD' });
  });

  it('applies int, bool, guid, alpha and length constraints', () => {
    expect(m('items/{id:int}', 'items/12')).toEqual({ id: '12' });
    expect(m('items/{id:int}', 'items/1.5')).toBeUndefined();
    expect(m('flags/{on:bool}', 'flags/TRUE')).toEqual({ on: 'TRUE' });
    expect(m('g/{id:guid}', 'g/3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBeDefined();
    expect(m('g/{id:guid}', 'g/nope')).toBeUndefined();
    expect(m('a/{x:alpha}', 'a/abc1')).toBeUndefined();
    expect(m('l/{x:minlength(3)}', 'l/ab')).toBeUndefined();
    expect(m('r/{x:range(1,5)}', 'r/6')).toBeUndefined();
  });

  it('treats {id?} as optional and {*rest} as catch-all', () => {
    expect(m('opt/{id?}', 'opt')).toEqual({});
    expect(m('opt/{id?}', 'opt/3')).toEqual({ id: '3' });
    expect(m('files/{*rest}', 'files')).toEqual({ rest: '' });
    expect(m('files/{*rest}', 'files/a/b/c')).toEqual({ rest: 'a/b/c' });
  });

  it('supports complex segments', () => {
    expect(m('dl/{name}.{ext}', 'dl/report.csv')).toEqual({ name: 'report', ext: 'csv' });
  });

  it('rejects malformed templates with a reason', () => {
    expect(() => parseRouteTemplate('a/{*rest}/b')).toThrow(/catch-all/);
    expect(() => parseRouteTemplate('a/{id:nosuch}')).toThrow(/unknown constraint/);
    expect(() => parseRouteTemplate('a/{id?}/b')).toThrow(/trailing/);
    expect(() => parseRouteTemplate('a/{id')).toThrow(/unclosed/);
  });

  it('orders literal before constrained before plain before catch-all', () => {
    const templates = ['bots/{*rest}', 'bots/{id}', 'bots/{id:int}', 'bots/new'].map(parseRouteTemplate);
    expect(templates.sort(compareRoutes).map((t) => t.source)).toEqual(['bots/new', 'bots/{id:int}', 'bots/{id}', 'bots/{*rest}']);
  });
});
