// IdentityClient on a guest's page: `@salesforce/user/isGuest` is true, so it answers guest without asking Apex.
import getIdentity from '@salesforce/apex/PrechatGuardIdentityController.getIdentity';
import { IdentityClient } from 'c/prechatGuardIdentity';
import { signedInResponse } from '../../../../../test/jest-utils/identityFixtures';

jest.mock('@salesforce/apex/PrechatGuardIdentityController.getIdentity', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/user/isGuest', () => ({ default: true }), { virtual: true });

const mockGetIdentity = getIdentity as unknown as jest.Mock;

describe('c-prechat-guard-identity (IdentityClient) on a guest page', () => {
  afterEach(() => {
    jest.clearAllMocks();
  });

  it('answers guest from get() and refresh() without calling Apex or a given fetcher', async () => {
    const fetchIdentity = jest.fn();
    const client = new IdentityClient({ fetchIdentity });
    const defaultClient = new IdentityClient();

    expect(await client.get()).toEqual({ kind: 'guest' });
    expect(await client.refresh()).toEqual({ kind: 'guest' });
    expect(await defaultClient.get()).toEqual({ kind: 'guest' });
    expect(fetchIdentity).not.toHaveBeenCalled();
    expect(mockGetIdentity).not.toHaveBeenCalled();
  });

  it('asks Apex when the caller says the visitor is not a guest (the isGuest option wins)', async () => {
    const response = signedInResponse(Date.now());
    mockGetIdentity.mockResolvedValue(response);

    const identity = await new IdentityClient({ isGuest: false }).get();

    expect(mockGetIdentity).toHaveBeenCalledTimes(1);
    expect(identity).toMatchObject({ kind: 'user', token: response.token });
  });
});
