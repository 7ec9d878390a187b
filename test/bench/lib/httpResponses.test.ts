import { ResponseReader, postRequest } from '../../../bench/lib/httpResponses';

const response = (status: number, body: string, extra = '') =>
  `HTTP/1.1 ${status} X\r\ncontent-type: application/json\r\n${extra}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('ResponseReader', () => {
  it('returns each response once it is complete, across chunk boundaries', () => {
    const reader = new ResponseReader();
    const first = Buffer.byteLength(response(200, '{"valid":true}'));
    const bytes = Buffer.from(response(200, '{"valid":true}') + response(401, '{"error":"unauthorized"}'));
    expect(reader.push(bytes.subarray(0, 20))).toEqual([]);
    expect(reader.push(bytes.subarray(20, first + 10))).toEqual([{ status: 200 }]);
    expect(reader.push(bytes.subarray(first + 10))).toEqual([{ status: 401 }]);
  });

  it('counts a body by its bytes, not its characters', () => {
    const reader = new ResponseReader();
    const bytes = Buffer.from(response(200, '{"n":"é"}'));
    expect(reader.push(bytes.subarray(0, bytes.length - 1))).toEqual([]);
    expect(reader.push(bytes.subarray(bytes.length - 1))).toEqual([{ status: 200 }]);
  });

  it('refuses what it cannot read instead of guessing', () => {
    expect(() => new ResponseReader().push(Buffer.from('HELLO\r\n\r\n'))).toThrow('not an HTTP/1.x response');
    expect(() =>
      new ResponseReader().push(Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n')),
    ).toThrow('chunked');
    expect(() => new ResponseReader().push(Buffer.from('HTTP/1.1 200 OK\r\nx: y\r\n\r\n'))).toThrow(
      'without Content-Length',
    );
  });
});

describe('postRequest', () => {
  it('builds a POST with the JSON body and its byte length', () => {
    expect(postRequest('127.0.0.1:1', '/v1/verify', { authorization: 'Bearer k' }, '{"t":"é"}').toString()).toBe(
      'POST /v1/verify HTTP/1.1\r\nhost: 127.0.0.1:1\r\ncontent-type: application/json\r\nauthorization: Bearer k\r\ncontent-length: 10\r\n\r\n{"t":"é"}',
    );
  });

  it('refuses a header with a line break (it would split the request)', () => {
    expect(() => postRequest('h', '/', { x: 'a\r\nb: c' }, '{}')).toThrow('line break');
  });
});
