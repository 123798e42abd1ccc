import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import {
  BREAK,
  GraphQLError,
  type DocumentNode,
  type FieldNode,
  getDirectiveValues,
  type GraphQLResolveInfo,
  Kind,
  type SelectionSetNode,
  visit,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/**
 * Incremental delivery: `@defer` and `@stream` (Yoga's defer-stream plugin), answered as
 * multipart/mixed or as server-sent events, whichever the client accepts.
 *
 * Such operations run on graphql-js's executor as Yoga ships it (@graphql-tools/executor), never
 * on graphql-jit (graphql/compiled-execution.ts), which knows neither directive.
 *
 * A streamed list is read as it is sent: a connection whose items are streamed reads them page
 * after page (graphql/pagination.ts `streamedConnection`), and each page after the first waits
 * until the response has taken what was read before (`Pace`): a slow client holds a page or two
 * in the server's memory, not the whole list, and the first items leave before the last are read.
 */

const INCREMENTAL = new Set(['defer', 'stream']);
const usesIncremental = new WeakMap<DocumentNode, boolean>();

/** Whether a document asks for incremental delivery anywhere (`@defer` or `@stream`). */
export function isIncremental(document: DocumentNode): boolean {
  let found = usesIncremental.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Directive(node) {
        if (!INCREMENTAL.has(node.name.value)) return undefined;
        found = true;
        return BREAK;
      },
    });
    usesIncremental.set(document, found);
  }
  return found;
}

/**
 * Whether the response of an operation wants more: a streamed read hands what it has read to the
 * executor, and reads its next page only once the response asks for more than it was given (it
 * waits for a payload, or asks for another).
 */
export class Pace {
  private pulls = 0;
  /** Requests for a payload not answered yet: the response is waiting for one. */
  private pending = 0;
  private closed = false;
  private waiters: (() => void)[] = [];

  /** The response asked for the next payload. */
  pulled(): void {
    this.pulls++;
    this.pending++;
    this.wake();
  }

  /** The response got the payload it asked for. */
  answered(): void {
    this.pending--;
  }

  /** The response is complete or gone: nothing more will be read for it. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /**
   * Resolves with true once the response wants more than it has been given: it is waiting for a
   * payload now, or asks for one later. With false once it is closed; with true when `released`
   * settles.
   */
  async wanted(released: Promise<void>): Promise<boolean> {
    const seen = this.pulls;
    let free = false;
    void released.then(() => {
      free = true;
      this.wake();
    });
    while (!this.closed && !free && this.pending === 0 && this.pulls === seen) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return !this.closed;
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }
}

/** The pace of each operation with incremental delivery, by its GraphQL context. */
const paces = new WeakMap<object, Pace>();

/** The pace of the operation a resolver runs in; null when nothing of it is delivered incrementally. */
export function paceOf(context: object): Pace | null {
  return paces.get(context) ?? null;
}

/** The incremental results of an operation, counting the response's requests for more into `pace`. */
function counted<T>(results: AsyncIterable<T>, pace: Pace): AsyncIterableIterator<T> {
  const inner = results[Symbol.asyncIterator]();
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      pace.pulled();
      try {
        const step = await inner.next();
        if (step.done) pace.close();
        return step;
      } finally {
        pace.answered();
      }
    },
    async return(value?: unknown) {
      pace.close();
      return (await inner.return?.(value)) ?? { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      pace.close();
      if (inner.throw) return inner.throw(error);
      throw error;
    },
  };
}

// The media types an answer in parts can be sent as; any type (*/*) lets Yoga choose one of them.
const INCREMENTAL_TYPES = /multipart\/mixed|text\/event-stream|\*\/\*/i;

/** A request whose Accept header allows no answer in parts: told what to send (Yoga's own 406 has no body). */
function notAcceptable(): GraphQLError {
  return new GraphQLError('@defer and @stream answer in parts: send Accept: multipart/mixed (or text/event-stream for SSE).', {
    extensions: { code: 'NOT_ACCEPTABLE', http: { status: 406, spec: false } },
  });
}

function usePacing(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (!isIncremental(args.document) || args.contextValue === null || typeof args.contextValue !== 'object') return;
      const accept = (args.contextValue as { request?: Request }).request?.headers.get('accept');
      if (accept && !INCREMENTAL_TYPES.test(accept)) return void setResultAndStopExecution({ errors: [notAcceptable()] });
      const pace = new Pace();
      paces.set(args.contextValue, pace);
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(counted(result, pace));
          else pace.close();
        },
      };
    },
  };
}

/** `@defer` and `@stream`, with streamed reads paced by the response. */
export function incrementalDeliveryPlugins(): Plugin[] {
  return [useDeferStream() as Plugin, usePacing()];
}

/**
 * Whether the current field's selection streams one of `fields` (`nodes @stream`,
 * `edges @stream(initialCount: 50)`, also inside fragments), `@stream(if: false)` not counting.
 */
export function streamsAny(info: GraphQLResolveInfo, fields: readonly string[]): boolean {
  const stream = info.schema.getDirective('stream');
  if (!stream) return false;
  const seen = new Set<string>();
  const inSelection = (selectionSet: SelectionSetNode | undefined): boolean =>
    !!selectionSet?.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return fields.includes(selection.name.value) && streamed(selection);
      if (selection.kind === Kind.INLINE_FRAGMENT) return inSelection(selection.selectionSet);
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      return inSelection(info.fragments[selection.name.value]?.selectionSet);
    });
  const streamed = (field: FieldNode) => {
    const values = getDirectiveValues(stream, field, info.variableValues);
    return values !== undefined && values['if'] !== false;
  };
  return info.fieldNodes.some((node) => inSelection(node.selectionSet));
}
