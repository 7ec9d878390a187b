// Rate-limit buckets: one per IPv4 address, one per IPv6 /64, IPv4-mapped addresses counted as IPv4.
import { clientBucket } from '../../../server/src/connect/clientAddress';

describe('clientBucket', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::ffff:cb00:7107', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
    ['not-an-address', 'not-an-address'],
  ])('%s → %s', (address, bucket) => {
    expect(clientBucket(address)).toBe(bucket);
  });

  it('puts two hosts of one /64 in one bucket and neighbouring /64s in two', () => {
    expect(clientBucket('2001:db8:1:2::a')).toBe(clientBucket('2001:db8:1:2:ffff::b'));
    expect(clientBucket('2001:db8:1:2::a')).not.toBe(clientBucket('2001:db8:1:3::a'));
  });
});
