import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { ifNoneMatch } from './etag.js';

const ENDPOINT = '/graphql';

/** The JSON answers of a query: not SSE or multipart (subscriptions, @defer/@stream), which go on. */
const isJsonAnswer = (contentType: string | null) => contentType !== null && /^application\/(graphql-response\+)?json\s*(;|$)/i.test(contentType);

/**
 * HTTP caching of GraphQL reads sent as GET (queries only: Yoga refuses mutations over GET): the
 * answer gets a strong `ETag`, the sha256 of its bytes, and a request whose `If-None-Match` names
 * the answer it would get gets `304 Not Modified` without a body. The query still runs (the tag is
 * the answer's, so the server must build the answer to know it): what is saved is sending it,
 * which for a session with a long history is most of the cost to a client.
 *
 * `Cache-Control: private, no-cache`: an answer depends on the caller's key and is only to be
 * reused after asking (a shared cache must not keep it); `Vary` names what else it depends on.
 * POSTs are left alone: HTTP caches do not reuse their answers.
 */
export function useGraphQLHttpCache(): Plugin {
  return {
    onResponse({ request, response, setResponse, fetchAPI }) {
      if (request.method !== 'GET' || response.status !== 200 || !isJsonAnswer(response.headers.get('content-type'))) return;
      if (new URL(request.url).pathname.replace(/\/$/, '') !== ENDPOINT) return;
      return response.arrayBuffer().then((buffer) => {
        const body = new Uint8Array(buffer);
        const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
        const headers = new fetchAPI.Headers(response.headers);
        headers.set('etag', etag);
        headers.set('cache-control', 'private, no-cache');
        headers.append('vary', 'authorization, accept');
        if (ifNoneMatch(request.headers.get('if-none-match'), etag)) {
          headers.delete('content-length');
          headers.delete('content-type');
          setResponse(new fetchAPI.Response(null, { status: 304, headers }));
        } else {
          setResponse(new fetchAPI.Response(body, { status: 200, headers }));
        }
      });
    },
  };
}
