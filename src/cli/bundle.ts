/**
 * The bundle: JSON Lines, one object per line, each with a `type`.
 *
 *   header                         {"type":"header","format":"agent-storage-bundle","version":3,...}
 *   per session:
 *     session                      {"type":"session","record":{...REST session...}}
 *     message*  (in seq order)     {"type":"message","record":{...REST message..., "seq": 1}}
 *     state?                       {"type":"state","record":{...REST state...}}
 *     per artifact:
 *       artifact                   {"type":"artifact","record":{...REST artifact...},"next_version":n}
 *       per content version (in version order):
 *         blob?                    {"type":"blob","sha256":"<64 hex>","size":n,"chunks":k}
 *         blob_chunk*  (k of them) {"type":"blob_chunk","sha256":"...","seq":0,"data":"<base64 of 1 to 1,048,576 bytes>"}
 *         artifact_content         {"type":"artifact_content","record":{...REST content record...}}
 *     session_end                  {"type":"session_end","session_id":"...","messages":n,"states":0|1,"artifacts":n,"contents":n,"blobs":n}
 *   metric*                        {"type":"metric","record":{...REST metric...}}
 *   footer                         {"type":"footer","sessions":n,"messages":n,"states":n,"artifacts":n,"metrics":n,"contents":n,"blobs":n}
 *
 * Records use the REST wire shapes (snake_case), plus `seq` and `idempotency_key` on messages, so
 * that a bundle is readable by people and other tools. They sit under `record` because artifacts
 * have a `type` field of their own. `session_end` lets an importer commit a session only once all
 * of it has arrived; the footer's totals reveal a truncated file.
 *
 * Content (version 3): a blob's bytes are carried once per bundle, by the `blob` line and its `k`
 * chunks (seq 0 to k-1, their bytes in order), right before the first content version that names
 * it; later versions naming the same sha256 — of any artifact or session — come without bytes. So
 * every `artifact_content` names a blob carried before it, and its `size` is the blob's. An
 * importer verifies each blob's size and sha256 at its last chunk, before anything may reference
 * it. `next_version` is the artifact's next version number (numbers are never reused, also after an
 * import); `contents` and `blobs` count the session's (or bundle's) `artifact_content` and `blob` lines.
 *
 * Version 2 added `parent_id` and `forked_from_message_id` to sessions, `idempotency_key` to
 * messages and `version` to states; all are required in version 2. Version 1 bundles are still
 * read: their sessions are not forks, their messages have no key, their states are at version 1.
 * Version 3 added content (above); versions 1 and 2 have none.
 *
 * This file holds what writing and reading share; bundle-write.ts writes the lines (the export),
 * bundle-lines.ts parses and checks each line, bundle-read.ts their order (the import).
 */

export const BUNDLE_FORMAT = 'agent-storage-bundle';
/** The version this tool writes. */
export const BUNDLE_VERSION = 3;
/** The versions this tool reads. */
export const READABLE_VERSIONS = [1, 2, 3] as const;
export type BundleVersion = (typeof READABLE_VERSIONS)[number];

export interface Totals {
  sessions: number;
  messages: number;
  states: number;
  artifacts: number;
  metrics: number;
  /** Content versions (`artifact_content` lines). */
  contents: number;
  /** Distinct blobs (`blob` lines, each with its bytes). */
  blobs: number;
}

export const zeroTotals = (): Totals => ({ sessions: 0, messages: 0, states: 0, artifacts: 0, metrics: 0, contents: 0, blobs: 0 });

export interface SessionCounts {
  messages: number;
  states: number;
  artifacts: number;
  contents: number;
  blobs: number;
}

/** The most bytes a `blob_chunk` line carries (what an export writes in each, but a blob's last). */
export const BLOB_CHUNK_BYTES = 1024 * 1024;

/** Any problem with the content of a bundle; names the line (1-based) when there is one. */
export class BundleError extends Error {
  constructor(
    readonly detail: string,
    readonly line: number | null = null,
  ) {
    super(line === null ? detail : `line ${line}: ${detail}`);
  }
}
