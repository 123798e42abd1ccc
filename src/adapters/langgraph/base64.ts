/**
 * Bytes ↔ base64, as the service carries them (standard alphabet, padded). The adapters run in
 * browsers too, so `atob`/`btoa` are the portable path; where Node's `Buffer` is present it is used
 * instead, being several times faster on the large channel values of a checkpoint.
 */

interface NodeBuffer extends Uint8Array {
  toString(encoding?: 'base64'): string;
}
interface NodeBufferClass {
  from(bytes: ArrayBufferLike, byteOffset?: number, length?: number): NodeBuffer;
  from(text: string, encoding: 'base64'): NodeBuffer;
}

const NodeBuffer = (globalThis as { Buffer?: NodeBufferClass }).Buffer;

/** A chunk of code units small enough for `String.fromCharCode(...chunk)`. */
const CHUNK = 0x8000;

export function toBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  // A copy: small Buffers are views of a shared pool, which a caller's `.buffer` would expose.
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(text, 'base64'));
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
