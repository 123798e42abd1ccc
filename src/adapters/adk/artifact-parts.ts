import type { SaveArtifactRequest } from '@google/adk';

/**
 * An ADK artifact (a `Part` of `@google/genai`) as stored bytes and a content type, and back.
 *
 * - `inlineData` → its bytes (base64-decoded), content type its `mimeType`;
 * - `text` → its UTF-8 bytes, content type `text/plain; charset=utf-8`, read back as a text Part
 *   (as GcsArtifactService reads `text/plain` back as text);
 * - `fileData` (a reference) → no bytes, content type its `mimeType`, the URI kept.
 *
 * What a version must carry beyond that — that an `inlineData` Part of type text/plain is not a
 * text Part, a `fileData` URI, a `displayName`, the save's `customMetadata` — is kept per version
 * where the service keeps per-version facts: as one `adk` parameter of the content type (base64url
 * JSON: a token, unchanged by any HTTP hop). Versions without any of it have a plain content type.
 * The service keeps at most 255 characters of content type: what does not fit is refused at save.
 */

export type Part = SaveArtifactRequest['artifact'];

export const TEXT_TYPE = 'text/plain; charset=utf-8';
const OCTETS = 'application/octet-stream';

/** The service's limit on a content type (a header value it stores per version). */
export const MAX_CONTENT_TYPE = 255;

/**
 * The facts of a version beyond its bytes and MIME type (all optional: most versions need none);
 * one-letter names, as every character counts against MAX_CONTENT_TYPE.
 */
interface PartInfo {
  /** How to read it back, when the content type alone would mislead: an inline text/plain (`i`), a file reference (`f`). */
  k?: 'i' | 'f';
  /** The file reference's URI. */
  u?: string;
  /** The Part's display name. */
  n?: string;
  /** The save's custom metadata. */
  m?: Record<string, unknown>;
}

export interface StoredPart {
  bytes: Uint8Array;
  contentType: string;
  /** The Part's MIME type (the artifact's `type`). */
  mimeType: string;
}

/** A version read back: the Part, and what ADK's ArtifactVersion says of it. */
export interface ReadPart {
  part: Part;
  mimeType: string | undefined;
  customMetadata: Record<string, unknown> | undefined;
}

const ADK_PARAMETER = /;\s*adk=([A-Za-z0-9_-]*)\s*$/;

const essence = (type: string) => type.split(';')[0]!.trim().toLowerCase();

/** Whether ADK's services accept the Part: InMemoryArtifactService's test, word for word. */
export function isStorable(artifact: Part): boolean {
  return Boolean(artifact.inlineData || artifact.text || artifact.fileData);
}

/** The Part as bytes and a content type (the inline data first, then the text, then the file reference, as ADK's services look). */
export function storedPart(artifact: Part, customMetadata: Record<string, unknown> | undefined): StoredPart {
  const info: PartInfo = {};
  let bytes: Uint8Array;
  let mimeType: string;
  if (artifact.inlineData) {
    bytes = fromBase64(artifact.inlineData.data ?? '');
    mimeType = artifact.inlineData.mimeType || OCTETS;
    if (essence(mimeType) === 'text/plain') info.k = 'i';
    if (artifact.inlineData.displayName) info.n = artifact.inlineData.displayName;
  } else if (artifact.text !== undefined) {
    bytes = new TextEncoder().encode(artifact.text);
    mimeType = TEXT_TYPE;
  } else {
    const fileData = artifact.fileData!;
    if (!fileData.fileUri) throw new Error('Artifact fileData must have a fileUri.');
    bytes = new Uint8Array(0);
    mimeType = fileData.mimeType || OCTETS;
    info.k = 'f';
    info.u = fileData.fileUri;
    if (fileData.displayName) info.n = fileData.displayName;
  }
  if (customMetadata !== undefined) info.m = customMetadata;
  const contentType = Object.keys(info).length === 0 ? mimeType : `${mimeType}; adk=${toBase64Url(new TextEncoder().encode(JSON.stringify(info)))}`;
  if (contentType.length > MAX_CONTENT_TYPE) {
    throw new Error(
      `The artifact's MIME type with its custom metadata, display name and file URI takes ${contentType.length} characters as a content type; the service keeps at most ${MAX_CONTENT_TYPE} per version`,
    );
  }
  return { bytes, contentType, mimeType };
}

/** A content type's MIME type and the version's facts. Content stored by others than ADK has no `adk` parameter: its type says all. */
function parseContentType(contentType: string): { mimeType: string; info: PartInfo } {
  const match = ADK_PARAMETER.exec(contentType);
  if (!match) return { mimeType: contentType, info: {} };
  let info: PartInfo = {};
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(fromBase64(match[1]!)));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) info = parsed as PartInfo;
  } catch {
    // Not ours after all: the parameter is ignored, the type read as it is.
  }
  return { mimeType: contentType.slice(0, match.index), info };
}

/** The Part a version stores. */
export function readPart(bytes: Uint8Array, contentType: string): ReadPart {
  const { mimeType, info } = parseContentType(contentType);
  const customMetadata = info.m;
  const displayName = typeof info.n === 'string' && info.n !== '' ? { displayName: info.n } : {};
  if (info.k === 'f' && typeof info.u === 'string') {
    return { part: { fileData: { fileUri: info.u, mimeType, ...displayName } }, mimeType, customMetadata };
  }
  if (info.k !== 'i' && essence(mimeType) === 'text/plain') {
    return { part: { text: new TextDecoder().decode(bytes) }, mimeType: undefined, customMetadata };
  }
  return { part: { inlineData: { data: toBase64(bytes), mimeType, ...displayName } }, mimeType, customMetadata };
}

/** What ADK's ArtifactVersion says of a version, from its content type alone. */
export function versionFacts(contentType: string): Omit<ReadPart, 'part'> {
  const { mimeType, info } = parseContentType(contentType);
  const text = info.k === undefined && essence(mimeType) === 'text/plain';
  return { mimeType: text ? undefined : mimeType, customMetadata: info.m };
}

// Base64 without Buffer: ADK runs in browsers too. Chunked, so no call gets too many arguments.
const CHUNK = 0x8000;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** Base64 (standard or URL-safe, padded or not) to bytes. */
function fromBase64(text: string): Uint8Array {
  const standard = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const toBase64Url = (bytes: Uint8Array) => toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
