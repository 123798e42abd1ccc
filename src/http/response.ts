import { Response as PonyfillResponse } from '@whatwg-node/fetch';

/**
 * The Response class every door answers with (Yoga's `fetchAPI.Response`): a text body is encoded
 * to UTF-8 once, here. Given the string, the ponyfill measures its UTF-8 length for
 * Content-Length and Node then encodes it again to write it: two passes over every byte of a
 * large answer (a thread's checkpoints, a long history), which cost as much as building it.
 */
export class EncodedOnceResponse extends PonyfillResponse {
  constructor(body?: BodyInit | null, init?: ResponseInit) {
    super(typeof body === 'string' ? Buffer.from(body) : body, init);
  }
}
