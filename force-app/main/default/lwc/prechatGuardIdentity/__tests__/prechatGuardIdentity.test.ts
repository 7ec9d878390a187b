import getIdentity from '@salesforce/apex/PrechatGuardIdentityController.getIdentity';
import { IdentityClient, IdentityError, parseIdentity, toIdentityError } from 'c/prechatGuardIdentity';
import {
  GUEST_RESPONSE,
  USER_ID,
  apexError,
  flushPromises,
  signedInResponse,
} from '../../../../../test/jest-utils/identityFixtures';

jest.mock('@salesforce/apex/PrechatGuardIdentityController.getIdentity', () => ({ default: jest.fn() }), {
  virtual: true,
});
// A member's page. Guest pages: prechatGuardIdentity.guest.test.ts.
jest.mock('@salesforce/user/isGuest', () => ({ default: false }), { virtual: true });

const mockGetIdentity = getIdentity as unknown as jest.Mock;
const T0 = Date.parse('2026-11-23T16:00:00.000Z');

describe('c-prechat-guard-identity (IdentityClient)', () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = T0;
  });

  afterEach(() => {
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  it('calls the Apex controller by default and returns its values unchanged', async () => {
    const response = signedInResponse(T0);
    mockGetIdentity.mockResolvedValue(response);

    const identity = await new IdentityClient({ now: clock }).get();

    expect(mockGetIdentity).toHaveBeenCalledTimes(1);
    expect(identity).toEqual({
      kind: 'user',
      userId: USER_ID,
      token: response.token,
      expiresAt: response.expiresAt,
      firstName: 'Ada',
      refreshAt: T0 + 240_000,
    });
  });

  it('serves the cached token while it is fresh and refreshes it once it is about to expire', async () => {
    const first = signedInResponse(T0);
    const second = signedInResponse(T0 + 240_000);
    const fetchIdentity = jest.fn().mockResolvedValueOnce(first).mockResolvedValueOnce(second);
    const client = new IdentityClient({ fetchIdentity, now: clock });

    await client.get();
    now = T0 + 239_999; // 60 s margin of a 300 s token not yet reached
    const cached = await client.get();
    expect(fetchIdentity).toHaveBeenCalledTimes(1);
    expect(cached.kind === 'user' && cached.token).toBe(first.token);

    now = T0 + 240_000;
    const refreshed = await client.get();
    expect(fetchIdentity).toHaveBeenCalledTimes(2);
    expect(refreshed.kind === 'user' && refreshed.token).toBe(second.token);
  });

  it('caps the margin at a fifth of a short token lifetime', async () => {
    const fetchIdentity = jest.fn().mockResolvedValue(signedInResponse(T0, { ttlSeconds: 60 }));
    const identity = await new IdentityClient({ fetchIdentity, now: clock }).get();

    expect(identity.kind === 'user' && identity.refreshAt).toBe(T0 + 48_000);
  });

  it('times refreshes from the token lifetime, so a visitor clock one hour fast does not cause a refresh storm', async () => {
    const serverTime = T0;
    now = T0 + 3_600_000;
    const fetchIdentity = jest.fn().mockResolvedValue(signedInResponse(serverTime));
    const client = new IdentityClient({ fetchIdentity, now: clock });

    const identity = await client.get();
    expect(identity.kind === 'user' && identity.refreshAt).toBe(now + 240_000);
    await client.get();
    expect(fetchIdentity).toHaveBeenCalledTimes(1);
  });

  it('shares one Apex call between concurrent callers', async () => {
    let resolve: (value: unknown) => void = () => undefined;
    const fetchIdentity = jest.fn(() => new Promise((r) => (resolve = r)));
    const client = new IdentityClient({ fetchIdentity, now: clock });

    const a = client.get();
    const b = client.refresh();
    resolve(signedInResponse(T0));

    expect(await a).toBe(await b);
    expect(fetchIdentity).toHaveBeenCalledTimes(1);
  });

  it('refresh() always asks Apex again, even when the cached token is fresh', async () => {
    const fetchIdentity = jest
      .fn()
      .mockResolvedValueOnce(signedInResponse(T0))
      .mockResolvedValueOnce(signedInResponse(T0 + 1000));
    const client = new IdentityClient({ fetchIdentity, now: clock });

    const first = await client.get();
    const second = await client.refresh();

    expect(fetchIdentity).toHaveBeenCalledTimes(2);
    expect(second.kind === 'user' && first.kind === 'user' && second.token !== first.token).toBe(true);
  });

  it('reports a guest without any identity values', async () => {
    const client = new IdentityClient({ fetchIdentity: () => Promise.resolve(GUEST_RESPONSE), now: clock });

    const identity = await client.get();

    expect(identity).toEqual({ kind: 'guest' });
    expect(client.isStale(identity)).toBe(false);
  });

  it('answers guest without fetching when told the visitor is a guest (isGuest option)', async () => {
    const fetchIdentity = jest.fn().mockResolvedValue(signedInResponse(T0));
    const client = new IdentityClient({ fetchIdentity, isGuest: true, now: clock });

    expect(await client.get()).toEqual({ kind: 'guest' });
    expect(await client.refresh()).toEqual({ kind: 'guest' });
    expect(fetchIdentity).not.toHaveBeenCalled();
    expect(mockGetIdentity).not.toHaveBeenCalled();
  });

  it('turns an Apex error into one user-facing message without exposing the Apex detail', async () => {
    mockGetIdentity.mockRejectedValue(apexError('System.NullPointerException: Attempt to de-reference a null object'));

    const failure = new IdentityClient({ now: clock }).get();

    await expect(failure).rejects.toBeInstanceOf(IdentityError);
    await expect(failure).rejects.toMatchObject({
      code: 'apex_error',
      message: "We couldn't confirm that you're signed in, so chat can't pass your identity on. Please try again.",
    });
    await expect(failure).rejects.not.toHaveProperty('message', expect.stringContaining('NullPointerException'));
  });

  it('drops the cached token when a refresh fails, so the next call cannot reuse stale data', async () => {
    const fetchIdentity = jest
      .fn()
      .mockResolvedValueOnce(signedInResponse(T0))
      .mockRejectedValueOnce(apexError('Service unavailable', 503))
      .mockResolvedValueOnce(signedInResponse(T0 + 5000));
    const client = new IdentityClient({ fetchIdentity, now: clock });

    await client.get();
    await expect(client.refresh()).rejects.toMatchObject({ code: 'apex_error' });
    await client.get();

    expect(fetchIdentity).toHaveBeenCalledTimes(3);
  });

  it.each([
    ['not an object', 'nope'],
    ['null', null],
    ['loggedIn missing', { userId: USER_ID }],
    ['token missing', { ...signedInResponse(T0), token: null }],
    ['token not a compact JWS', { ...signedInResponse(T0), token: 'abc.def' }],
    ['user id of another object type', { ...signedInResponse(T0), userId: '003Hs00000ABCdeIAF' }],
    ['15-character user id', { ...signedInResponse(T0), userId: '005Hs00000ABCde' }],
    ['expiresAt not a date', { ...signedInResponse(T0), expiresAt: 'soon' }],
  ])('rejects an answer that breaks the contract (%s) as invalid_response', async (_case, raw) => {
    const client = new IdentityClient({ fetchIdentity: () => Promise.resolve(raw), now: clock });

    await expect(client.get()).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('gives up with a timeout before Enhanced Chat’s 30 s renewal window closes', async () => {
    jest.useFakeTimers();
    const client = new IdentityClient({ fetchIdentity: () => new Promise(() => undefined), now: clock });
    const failure = client.get();
    const settled = jest.fn();
    failure.catch(settled);

    jest.advanceTimersByTime(19_999);
    await flushPromises();
    expect(settled).not.toHaveBeenCalled();

    jest.advanceTimersByTime(1);
    await expect(failure).rejects.toMatchObject({ code: 'timeout' });
  });

  it('never writes the token to the console', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation(() => undefined),
    );
    const response = signedInResponse(T0);
    const fetchIdentity = jest
      .fn()
      .mockResolvedValueOnce(response)
      .mockRejectedValueOnce(apexError(`bad token ${response.token}`))
      .mockResolvedValueOnce({ ...response, userId: 'bad' });
    const client = new IdentityClient({ fetchIdentity, now: clock });

    await client.get();
    await client.refresh().catch(() => undefined);
    await client.refresh().catch(() => undefined);

    for (const spy of spies) {
      const printed = JSON.stringify(spy.mock.calls);
      expect(printed).not.toContain(response.token);
      spy.mockRestore();
    }
  });
});

describe('parseIdentity and toIdentityError', () => {
  it('treats an empty first name as absent', () => {
    const identity = parseIdentity({ ...signedInResponse(T0), firstName: '  ' }, T0, 60_000);
    expect(identity).toMatchObject({ kind: 'user', firstName: null });
  });

  it('falls back to expiresAt when the token payload cannot be read', () => {
    const response = { ...signedInResponse(T0), token: 'aaa.%%%.ccc'.replace('%%%', 'bm90LWpzb24') };
    const identity = parseIdentity(response, T0, 60_000);
    expect(identity).toMatchObject({ kind: 'user', refreshAt: T0 + 240_000 });
  });

  it('keeps an IdentityError as it is and wraps anything else as apex_error', () => {
    const timeout = new IdentityError('timeout');
    expect(toIdentityError(timeout)).toBe(timeout);
    expect(toIdentityError(new TypeError('Failed to fetch'))).toMatchObject({ code: 'apex_error' });
  });
});
