import { useEffect, useState } from 'preact/hooks';
import { ConsoleArtifactsDocument, type ConsoleArtifactsQuery } from '../../gql/graphql.js';
import { describe } from '../api.js';
import { useClient, useLoad } from '../hooks.js';
import { bytes, Pager, Show, Time } from './common.js';
import { JsonTree } from './json.js';

type Artifact = NonNullable<ConsoleArtifactsQuery['session']>['artifacts']['nodes'][number];

const PAGE = 50;
/** Previews read the whole version into memory: larger ones are only downloaded. */
const PREVIEW_MAX = 2 * 1024 * 1024;
/**
 * Image types shown inline, from a blob: URL of bytes fetched with the key. Not SVG: an SVG is a
 * document that can carry scripts and links — it is shown as text, like HTML.
 */
const IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

const mediaType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();
const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');
const isText = (type: string) =>
  type.startsWith('text/') || isJson(type) || ['application/xml', 'application/javascript', 'application/x-ndjson', 'application/yaml'].includes(type) || type.endsWith('+xml');

type Preview = { kind: 'image'; url: string } | { kind: 'json'; value: unknown } | { kind: 'text'; text: string } | { kind: 'none'; why: string };

export function ArtifactsTab({ sessionId }: { sessionId: string }) {
  const client = useClient();
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors.at(-1);
  const [loaded] = useLoad(
    async (signal) => {
      const { session } = await client.request(ConsoleArtifactsDocument, { sessionId, first: PAGE, after }, { signal });
      return session?.artifacts ?? null;
    },
    [sessionId, after],
  );
  return (
    <section aria-labelledby="artifacts-title">
      <h2 id="artifacts-title">Artifacts</h2>
      <Show loaded={loaded}>
        {(artifacts) =>
          !artifacts || artifacts.nodes.length === 0 ? (
            <p>No artifacts.</p>
          ) : (
            <>
              <ul class="artifacts">
                {artifacts.nodes.map((a) => (
                  <ArtifactView key={a.id} artifact={a} />
                ))}
              </ul>
              <Pager
                cursors={cursors}
                hasNext={artifacts.pageInfo.hasNextPage}
                next={() => artifacts.pageInfo.endCursor && setCursors([...cursors, artifacts.pageInfo.endCursor])}
                previous={() => setCursors(cursors.slice(0, -1))}
              />
            </>
          )
        }
      </Show>
    </section>
  );
}

/** Hands `blob` to the browser as a download named `name` (a blob: URL: the key never goes into a URL). */
function saveAs(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function ArtifactView({ artifact }: { artifact: Artifact }) {
  const client = useClient();
  const latest = artifact.versions.at(-1);
  const [version, setVersion] = useState(latest?.version ?? null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const chosen = artifact.versions.find((v) => v.version === version);

  // An image preview's blob: URL lives as long as it is shown.
  useEffect(() => () => void (preview?.kind === 'image' && URL.revokeObjectURL(preview.url)), [preview]);

  const load = async () => {
    if (!chosen) return null;
    setBusy(true);
    setError('');
    try {
      const loaded = await client.artifacts.loadContent(artifact.id, { version: chosen.version });
      if (!loaded) throw new Error('This version is gone.');
      // Read from a fetch's ArrayBuffer (never shared memory), as a Blob takes it.
      return loaded.bytes as Uint8Array<ArrayBuffer>;
    } catch (e) {
      setError(describe(e));
      return null;
    } finally {
      setBusy(false);
    }
  };

  const showPreview = async () => {
    if (!chosen) return;
    const type = mediaType(chosen.contentType);
    if (chosen.size > PREVIEW_MAX) return setPreview({ kind: 'none', why: `Too large to preview (${bytes(chosen.size)}): download it.` });
    if (!IMAGES.has(type) && !isText(type)) return setPreview({ kind: 'none', why: `No preview for ${type}: download it.` });
    const loaded = await load();
    if (!loaded) return;
    if (IMAGES.has(type)) return setPreview({ kind: 'image', url: URL.createObjectURL(new Blob([loaded], { type })) });
    const text = new TextDecoder().decode(loaded);
    if (isJson(type)) {
      try {
        return setPreview({ kind: 'json', value: JSON.parse(text) });
      } catch {
        // not valid JSON after all: shown as text
      }
    }
    setPreview({ kind: 'text', text });
  };

  const download = async () => {
    const loaded = await load();
    if (loaded && chosen) saveAs(new Blob([loaded], { type: mediaType(chosen.contentType) }), artifact.name || artifact.id);
  };

  return (
    <li class="artifact">
      <div class="artifact-head">
        <strong>{artifact.name}</strong> <span class="muted">{artifact.type}</span>
        <span class="muted">{artifact.path}</span>
        <Time at={artifact.createdAt} />
      </div>
      {artifact.versions.length === 0 ? (
        <p class="muted">A record without content ({bytes(artifact.size)} declared).</p>
      ) : (
        <div class="artifact-actions">
          <label>
            Version{' '}
            <select
              value={String(version)}
              onChange={(e) => {
                setVersion(Number((e.currentTarget as HTMLSelectElement).value));
                setPreview(null);
              }}
            >
              {artifact.versions.map((v) => (
                <option value={String(v.version)}>
                  {v.version} · {bytes(v.size)} · {mediaType(v.contentType)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={showPreview} disabled={busy}>
            Preview
          </button>
          <button type="button" onClick={download} disabled={busy}>
            Download {artifact.name}
          </button>
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <div class="preview" aria-label={`Preview of ${artifact.name}`} role="region">
          {preview.kind === 'image' && <img src={preview.url} alt={`${artifact.name}, version ${version}`} />}
          {preview.kind === 'json' && <JsonTree value={preview.value} label={`${artifact.name} as JSON`} />}
          {preview.kind === 'text' && <pre>{preview.text}</pre>}
          {preview.kind === 'none' && <p>{preview.why}</p>}
        </div>
      )}
    </li>
  );
}
