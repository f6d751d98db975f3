import { parseEntityBatchOutput } from '../../../../local/durable/entity-wire.js';

const output = { entityExists: true, entityState: '3', results: [{ isError: false, duration: 0 }], signals: [] };

describe('parseEntityBatchOutput', () => {
  it('accepts the wrapper object, its JSON text, and RPC typed data from the programming model', () => {
    const expected = { ok: true, value: { entityExists: true, entityState: '3', results: [{ isError: false, duration: 0 }], signals: [] } };
    expect(parseEntityBatchOutput(output)).toEqual(expected);
    expect(parseEntityBatchOutput(JSON.stringify(output))).toEqual(expected);
    expect(parseEntityBatchOutput({ json: JSON.stringify(output) })).toEqual(expected);
    expect(parseEntityBatchOutput({ string: JSON.stringify(output) })).toEqual(expected);
  });

  it('names the offending field when the shape is wrong', () => {
    expect(parseEntityBatchOutput({ ...output, results: 'nope' })).toEqual({
      ok: false,
      message: 'the entity function returned an unexpected shape (results: Invalid input: expected array, received string)',
    });
    expect(parseEntityBatchOutput('not json')).toEqual({ ok: false, message: 'the entity function returned a string that is not JSON' });
  });
});
