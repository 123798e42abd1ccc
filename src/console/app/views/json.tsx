/**
 * JSON as a tree of native disclosure widgets (`<details>`: keyboard and screen readers know them),
 * and the difference between two JSON values. Stored data is only ever rendered as text nodes.
 */


const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function Leaf({ value }: { value: unknown }) {
  if (value === null) return <span class="j-null">null</span>;
  if (typeof value === 'string') return <span class="j-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span class="j-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span class="j-bool">{String(value)}</span>;
  return <span>{JSON.stringify(value)}</span>;
}

function Node({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  const label = name === null ? null : <span class="j-key">{name}: </span>;
  if (!Array.isArray(value) && !isObject(value)) {
    return (
      <li>
        {label}
        <Leaf value={value} />
      </li>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <li>
      <details open={depth < 2}>
        <summary>
          {label}
          <span class="j-summary">{summary}</span>
        </summary>
        <ul>
          {entries.map(([k, v]) => (
            <Node name={k} value={v} depth={depth + 1} />
          ))}
        </ul>
      </details>
    </li>
  );
}

export function JsonTree({ value, label }: { value: unknown; label: string }) {
  return (
    <ul class="json" aria-label={label}>
      <Node name={null} value={value} depth={0} />
    </ul>
  );
}

export interface Change {
  /** JSON Pointer (RFC 6901) of the value. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const pointer = (path: string, key: string) => `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;

/**
 * What changed from `before` to `after` (undefined: no value): objects compared key by key, arrays
 * index by index, the rest whole.
 */
export function diff(before: unknown, after: unknown, path = ''): Change[] {
  if (before === undefined) return after === undefined ? [] : [{ path: path || '/', kind: 'added', after }];
  if (after === undefined) return [{ path: path || '/', kind: 'removed', before }];
  // Own keys only: `constructor` or `toString` in stored data are data, not the prototype's.
  const own = (value: Record<string, unknown>, key: string) => (Object.hasOwn(value, key) ? value[key] : undefined);
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) => diff(own(before, key), own(after, key), pointer(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diff(before[i], after[i], pointer(path, String(i)))).flat();
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path || '/', kind: 'changed', before, after }];
}

const short = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
};

export function DiffTable({ changes }: { changes: Change[] }) {
  if (changes.length === 0) return <p>No differences.</p>;
  return (
    <div class="scroll">
      <table class="diff">
        <caption class="sr-only">Differences</caption>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Change</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr class={c.kind}>
              <td>
                <code>{c.path}</code>
              </td>
              <td>{c.kind}</td>
              <td>{c.kind === 'added' ? '' : <code>{short(c.before)}</code>}</td>
              <td>{c.kind === 'removed' ? '' : <code>{short(c.after)}</code>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

