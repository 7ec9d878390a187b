// A minimal reader of HTTP/1.1 responses on a keep-alive socket, for the paced load generator: the status and the
// end of each response, nothing else. Node's http client costs too much per request to keep a schedule of thousands
// of requests a second on one core; this costs a buffer search. Only Content-Length bodies are understood (what the
// servers under test send); anything else is an error, never a guess.

export interface Response {
  status: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class ResponseReader {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds bytes from the socket; returns every response completed by them, in order. */
  push(chunk: Buffer): Response[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const done: Response[] = [];
    for (;;) {
      const headerEnd = this.pending.indexOf(HEADER_END);
      if (headerEnd < 0) return done;
      const head = this.pending.subarray(0, headerEnd).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (!status) throw new Error(`not an HTTP/1.x response: ${JSON.stringify(head.slice(0, 40))}`);
      if (/\r\ntransfer-encoding:/i.test(head))
        throw new Error('chunked responses are not supported by the paced client');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!length) throw new Error(`a response without Content-Length: ${JSON.stringify(head.slice(0, 80))}`);
      const total = headerEnd + HEADER_END.length + Number(length[1]);
      if (this.pending.length < total) return done;
      done.push({ status: Number(status[1]) });
      this.pending = this.pending.subarray(total);
    }
  }
}

/** The bytes of one POST with a JSON body, built once and written as is. */
export function postRequest(host: string, path: string, headers: Record<string, string>, body: string): Buffer {
  const lines = [`POST ${path} HTTP/1.1`, `host: ${host}`, 'content-type: application/json'];
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n]/.test(name + value)) throw new Error(`header ${name} has a line break`);
    lines.push(`${name}: ${value}`);
  }
  lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
