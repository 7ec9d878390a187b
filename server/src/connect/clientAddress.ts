// The rate-limit bucket of a browser client: its IPv4 address, or the /64 network of an IPv6 address (one household or
// host usually holds a whole /64, so per-address buckets there would be no limit at all).
import { isIPv4, isIPv6 } from 'node:net';

function ipv6Pieces(address: string): number[] | null {
  let host: string;
  try {
    // The WHATWG URL parser canonicalises IPv6 to hex pieces (embedded IPv4 included); zone ids are refused.
    host = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
  const [head = '', tail] = host.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headParts.length - tailParts.length;
  const pieces = [...headParts, ...Array<string>(zeros).fill('0'), ...tailParts].map((part) => parseInt(part, 16));
  return pieces.length === 8 ? pieces : null;
}

export function clientBucket(address: string): string {
  if (isIPv4(address)) return address;
  if (isIPv6(address)) {
    const pieces = ipv6Pieces(address);
    if (pieces) {
      const [a, b, c, d, e, f, g, h] = pieces as [number, number, number, number, number, number, number, number];
      // IPv4-mapped (::ffff:a.b.c.d), as dual-stack sockets report IPv4 clients: the IPv4 address.
      if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0xffff) {
        return `${g >> 8}.${g & 255}.${h >> 8}.${h & 255}`;
      }
      return `${[a, b, c, d].map((piece) => piece.toString(16)).join(':')}::/64`;
    }
  }
  return address;
}
