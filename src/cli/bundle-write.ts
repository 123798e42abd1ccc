import type { JsonObject } from '../domain/json.js';
import {
  type Artifact,
  type ArtifactContent,
  artifactContentRecord,
  artifactRecord,
  type Message,
  messageRecord,
  type Metric,
  metricRecord,
  type Session,
  sessionRecord,
  type State,
  stateRecord,
} from '../domain/records.js';
import { wireCodec } from '../domain/wire.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type SessionCounts, type Totals } from './bundle.js';

/** Writing a bundle (bundle.ts describes it): each line as the export writes it. */

/**
 * One line of JSON. U+2028 and U+2029 are legal inside JSON strings but many line readers
 * (Node's `readline` among them) split on them, so they are written escaped, as JSON allows.
 */
export function encodeLine(value: unknown): string {
  return `${JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}\n`;
}

export interface HeaderFields {
  exportedAt: string;
  source: JsonObject;
  filter: { sessionId: string | null; agentName: string | null };
}

export const headerLine = (h: HeaderFields) =>
  encodeLine({
    type: 'header',
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    exported_at: h.exportedAt,
    source: h.source,
    filter: { session_id: h.filter.sessionId, agent_name: h.filter.agentName },
  });

// Records in the REST wire shapes (one codec per record, `domain/wire.ts`); messages with every field
// (`seq`, `idempotency_key`), which the REST door leaves out.
const wire = {
  session: wireCodec(sessionRecord),
  message: wireCodec(messageRecord),
  state: wireCodec(stateRecord),
  artifact: wireCodec(artifactRecord),
  content: wireCodec(artifactContentRecord),
  metric: wireCodec(metricRecord),
};

export const sessionLine = (s: Session) => encodeLine({ type: 'session', record: wire.session.toWire(s) });
export const messageLine = (m: Message) => encodeLine({ type: 'message', record: wire.message.toWire(m) });
export const stateLine = (s: State) => encodeLine({ type: 'state', record: wire.state.toWire(s) });
export const artifactLine = (a: Artifact, nextVersion: number) => encodeLine({ type: 'artifact', record: wire.artifact.toWire(a), next_version: nextVersion });
export const contentLine = (c: ArtifactContent) => encodeLine({ type: 'artifact_content', record: wire.content.toWire(c) });
export const blobLine = (b: { sha256: string; size: number; chunks: number }) => encodeLine({ type: 'blob', sha256: b.sha256, size: b.size, chunks: b.chunks });
export const blobChunkLine = (sha256: string, seq: number, data: Uint8Array) =>
  encodeLine({ type: 'blob_chunk', sha256, seq, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') });
export const metricLine = (m: Metric) => encodeLine({ type: 'metric', record: wire.metric.toWire(m) });

export const sessionEndLine = (sessionId: string, c: SessionCounts) =>
  encodeLine({ type: 'session_end', session_id: sessionId, messages: c.messages, states: c.states, artifacts: c.artifacts, contents: c.contents, blobs: c.blobs });

export const footerLine = (t: Totals) =>
  encodeLine({ type: 'footer', sessions: t.sessions, messages: t.messages, states: t.states, artifacts: t.artifacts, metrics: t.metrics, contents: t.contents, blobs: t.blobs });
