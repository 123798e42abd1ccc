import { Response as PonyfillResponse } from '@whatwg-node/fetch';

/**
 * The Response class every door answers with (Yoga's `fetchAPI.Response`): a text body is encoded
 * to UTF-8 once, here. Given the string, the ponyfill measures its UTF-8 length for
 * Content-Length and Node then encodes it again to write it: two passes over every byte of a
 * large answer (a thread's checkpoints, a long history), which cost as much as building it.
 */
export class EncodedOnceResponse extends PonyfillResponse {
  constructor(body?: BodyInit | null, init?: ResponseInit) {
    if (typeof body !== 'string') {
      super(body, init);
      return;
    }
    // A text body keeps the content type the Fetch standard gives one when none is set.
    const headers = new Headers(init?.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
    super(Buffer.from(body), { ...init, headers });
  }
}
