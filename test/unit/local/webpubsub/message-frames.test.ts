import { ackFrame, OutboundMessage, payloadFromClient, payloadFromRest, systemConnectedFrame } from '../../../../local/webpubsub/message-frames';

const restPayload = (contentType: string, body: Buffer | string) => {
  const result = payloadFromRest(contentType, Buffer.from(body));
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

describe('payloadFromRest', () => {
  it('maps the content types the server SDK sends to data types', () => {
    expect(restPayload('application/json', '{"a":[1,2]}')).toMatchObject({ dataType: 'json', dataJson: '{"a":[1,2]}' });
    expect(restPayload('text/plain; charset=utf-8', 'hi "x"')).toMatchObject({ dataType: 'text', dataJson: '"hi \\"x\\""' });
    expect(restPayload('application/octet-stream', Buffer.from([0, 255]))).toMatchObject({ dataType: 'binary', dataJson: '"AP8="' });
  });

  it('rejects invalid JSON bodies and unknown content types', () => {
    expect(payloadFromRest('application/json', Buffer.from('{oops'))).toMatchObject({ ok: false, error: { code: 'WPS.INVALID_JSON' } });
    expect(payloadFromRest('application/xml', Buffer.from('<a/>'))).toMatchObject({ ok: false, error: { code: 'WPS.CONTENT_TYPE' } });
    expect(payloadFromRest(undefined, Buffer.from('x'))).toMatchObject({ ok: false, error: { code: 'WPS.CONTENT_TYPE' } });
  });
});

describe('payloadFromClient', () => {
  it('re-serializes json, keeps text, and decodes binary for simple clients', () => {
    const json = payloadFromClient('json', { b: 1 });
    expect(json).toMatchObject({ ok: true, value: { dataType: 'json', dataJson: '{"b":1}' } });
    expect(payloadFromClient('text', 'x')).toMatchObject({ ok: true, value: { dataType: 'text', dataJson: '"x"' } });
    const bin = payloadFromClient('binary', 'AP8=');
    expect(bin.ok && [...bin.value.raw]).toEqual([0, 255]);
    expect(payloadFromClient('text', 5)).toMatchObject({ ok: false });
    expect(payloadFromClient('json', undefined)).toMatchObject({ ok: false });
  });
});

describe('OutboundMessage', () => {
  it('builds the json.webpubsub.azure.v1 frame once and shares it', () => {
    const message = new OutboundMessage({ from: 'server' }, restPayload('application/json', '[{"p":1.5}]'));
    expect(JSON.parse(message.plain().toString())).toEqual({ type: 'message', from: 'server', dataType: 'json', data: [{ p: 1.5 }] });
    expect(message.plain()).toBe(message.plain());
  });

  it('builds reliable frames carrying each connection\'s sequence id', () => {
    const message = new OutboundMessage({ from: 'group', group: 'g"1', fromUserId: 'u' }, restPayload('text/plain', 'hé'));
    expect(JSON.parse(message.reliable(1).toString())).toEqual({ sequenceId: 1, type: 'message', from: 'group', group: 'g"1', fromUserId: 'u', dataType: 'text', data: 'hé' });
    expect(JSON.parse(message.reliable(123456789).toString()).sequenceId).toBe(123456789);
  });

  it('gives simple websocket clients the raw payload and says when it is binary', () => {
    const binary = new OutboundMessage({ from: 'server' }, restPayload('application/octet-stream', Buffer.from([1])));
    expect(binary.rawIsBinary).toBe(true);
    expect([...binary.payload.raw]).toEqual([1]);
    expect(new OutboundMessage({ from: 'server' }, restPayload('text/plain', 'x')).rawIsBinary).toBe(false);
  });
});

describe('system and ack frames', () => {
  it('match the documented shapes', () => {
    expect(JSON.parse(systemConnectedFrame('u', 'c', 'tok'))).toEqual({ type: 'system', event: 'connected', userId: 'u', connectionId: 'c', reconnectionToken: 'tok' });
    expect(JSON.parse(systemConnectedFrame(undefined, 'c', undefined))).toEqual({ type: 'system', event: 'connected', connectionId: 'c' });
    expect(JSON.parse(ackFrame(3))).toEqual({ type: 'ack', ackId: 3, success: true });
    expect(JSON.parse(ackFrame(4, { name: 'Forbidden', message: 'no' }))).toEqual({ type: 'ack', ackId: 4, success: false, error: { name: 'Forbidden', message: 'no' } });
  });
});
