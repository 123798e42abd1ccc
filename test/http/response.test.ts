import { expect, it } from 'vitest';
import { EncodedOnceResponse } from '../../src/http/response.js';

// The Response every door answers with: a text body goes as its UTF-8 bytes, as a string body would.
it('answers a text body with its UTF-8 bytes, length and the content type a string body gets', async () => {
  const text = 'héllo, wörld — 👋';
  const plain = new EncodedOnceResponse(text, { status: 201 });
  expect(plain.status).toBe(201);
  expect(plain.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
  expect(Buffer.from(await plain.arrayBuffer()).equals(Buffer.from(text, 'utf8'))).toBe(true);

  const json = new EncodedOnceResponse('{"a":"ü"}', { headers: { 'content-type': 'application/json' } });
  expect(json.headers.get('content-type')).toBe('application/json');
  expect(await json.json()).toEqual({ a: 'ü' });

  const empty = new EncodedOnceResponse(null, { status: 204 });
  expect(empty.status).toBe(204);
  expect(empty.body).toBeNull();
});
