/*
 * Reading GraphQL incremental delivery (`@defer`, `@stream`) as a client does: the parts of a
 * multipart/mixed answer or the events of an SSE one, one at a time as they arrive, and the
 * answer they assemble into.
 */

export interface Payload {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  incremental?: { data?: Record<string, unknown>; items?: unknown[]; path: (string | number)[]; errors?: unknown[] }[];
  hasNext?: boolean;
}

/** The parts of a `multipart/mixed; boundary="-"` body, parsed, as each one is complete. */
export async function* multipartPayloads(response: Response): AsyncGenerator<Payload> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    // A part is complete once the next delimiter follows it.
    let end: number;
    while ((end = text.indexOf('\r\n---', 1)) !== -1) {
      const part = text.slice(0, end);
      text = text.slice(end + 2);
      const body = part.indexOf('\r\n\r\n');
      if (body !== -1) yield JSON.parse(part.slice(body + 4)) as Payload;
    }
    const { done, value } = await reader.read();
    if (done) return;
    text += decoder.decode(value, { stream: true });
  }
}

/** The `next` events of an SSE body, parsed, as each one is complete. */
export async function* ssePayloads(response: Response): AsyncGenerator<Payload> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    let end: number;
    while ((end = text.indexOf('\n\n')) !== -1) {
      const event = text.slice(0, end);
      text = text.slice(end + 2);
      const name = /^event: (.*)$/m.exec(event)?.[1];
      const data = [...event.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]).join('\n');
      if (name === 'complete') return;
      if (name === 'next' && data) yield JSON.parse(data) as Payload;
    }
    const { done, value } = await reader.read();
    if (done) return;
    text += decoder.decode(value, { stream: true });
  }
}

/** The value at `path` in `data`. */
function at(data: unknown, path: readonly (string | number)[]): any {
  return path.reduce<any>((value, key) => value?.[key], data);
}

/** Applies payloads to the first one's data: deferred data merged in place, streamed items appended. */
export function assemble(payloads: readonly Payload[]): { data: Record<string, unknown> | null | undefined; errors: unknown[] } {
  const [first, ...rest] = payloads;
  const data = structuredClone(first?.data);
  const errors: unknown[] = [...(first?.errors ?? [])];
  for (const payload of rest) {
    errors.push(...(payload.errors ?? []));
    for (const part of payload.incremental ?? []) {
      errors.push(...(part.errors ?? []));
      if (part.items) {
        // A streamed item's path ends with its index in the list.
        const list = at(data, part.path.slice(0, -1)) as unknown[];
        list.splice(part.path.at(-1) as number, part.items.length, ...part.items);
      } else if (part.data) {
        Object.assign(at(data, part.path), part.data);
      }
    }
  }
  return { data, errors };
}
