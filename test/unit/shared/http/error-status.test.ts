import { ERROR_STATUS, statusForCode } from '../../../../shared/http/error-status';

describe('statusForCode', () => {
  it('maps the codes of this API to their statuses', () => {
    expect(statusForCode('VALIDATION.FAILED')).toBe(400);
    expect(statusForCode('AUTH.REQUIRED')).toBe(401);
    expect(statusForCode('FORBIDDEN')).toBe(403);
    expect(statusForCode('NOT_FOUND')).toBe(404);
    expect(statusForCode('CONFLICT')).toBe(409);
    expect(statusForCode('PAYLOAD_TOO_LARGE')).toBe(413);
    expect(statusForCode('PRECONDITION_REQUIRED')).toBe(428);
  });

  it('maps new members of the AUTH and VALIDATION families by prefix and leaves other codes unmapped', () => {
    expect(statusForCode('AUTH.SOMETHING_NEW')).toBe(401);
    expect(statusForCode('VALIDATION.OTHER')).toBe(400);
    expect(statusForCode('UNKNOWN.CODE')).toBeUndefined();
  });

  it('uses only error statuses', () => {
    for (const status of Object.values(ERROR_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
  });
});
