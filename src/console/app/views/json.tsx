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

/** What changed from `before` to `after`: objects compared key by key, arrays index by index, the rest whole. */
export function diff(before: unknown, after: unknown, path = ''): Change[] {
  if (isObject(before) && isObject(after)) {
    const changes: Change[] = [];
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const at = pointer(path, key);
      if (!(key in after)) changes.push({ path: at, kind: 'removed', before: before[key] });
      else if (!(key in before)) changes.push({ path: at, kind: 'added', after: after[key] });
      else changes.push(...diff(before[key], after[key], at));
    }
    return changes;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: Change[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const at = pointer(path, String(i));
      if (i >= after.length) changes.push({ path: at, kind: 'removed', before: before[i] });
      else if (i >= before.length) changes.push({ path: at, kind: 'added', after: after[i] });
      else changes.push(...diff(before[i], after[i], at));
    }
    return changes;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path || '/', kind: 'changed', before, after }];
}

const short = (value: unknown) => {
  const text = JSON.stringify(value);
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

