import { type Change, isObject } from '../diff.js';

/**
 * JSON as a tree of native disclosure widgets (`<details>`: keyboard and screen readers know them),
 * and a table of the differences between two JSON values (../diff.ts). Stored data is only ever
 * rendered as text nodes.
 */


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
                <code>{c.path || '(the whole value)'}</code>
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

