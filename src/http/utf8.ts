import { isUtf8 } from 'node:buffer';

/**
 * Text reaches the service as UTF-8 bytes: request bodies, and percent-encoded in URLs. Decoding
 * alone never fails — each invalid byte silently becomes U+FFFD, and "a\xff\xfe" would be stored
 * as "a��" — so every door checks the bytes first and refuses what is not UTF-8 (400). The checks
 * (simdutf, inside Node) cost next to nothing next to parsing the JSON.
 */

export { isUtf8 };

/**
 * Checks a body that arrives in pieces: a sequence cut between two pieces is checked once it is
 * whole, without buffering the body.
 */
export class Utf8Stream {
  /** The start of a sequence that the next piece completes (at most 3 bytes). */
  private carry: Uint8Array | null = null;

  /** False as soon as the bytes so far cannot be (the start of) UTF-8 text. */
  push(piece: Uint8Array): boolean {
    const bytes = this.carry ? Buffer.concat([this.carry, piece]) : piece;
    const cut = unfinishedTail(bytes);
    // A copy: the piece itself travels on and is not ours to hold.
    this.carry = cut ? bytes.slice(bytes.length - cut) : null;
    return isUtf8(cut ? bytes.subarray(0, bytes.length - cut) : bytes);
  }

  /** At the end of the body: false if it stopped in the middle of a sequence. */
  end(): boolean {
    return this.carry === null;
  }
}

/** How many bytes at the end start a sequence that is not complete yet (0 to 3). */
function unfinishedTail(bytes: Uint8Array): number {
  // A sequence is at most 4 bytes: its lead byte is one of the last 4.
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: the lead is further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

const HEX = /^[0-9a-fA-F]{2}$/;

/** The bytes that percent-encoded text (a query string, a form body) stands for. */
function percentDecoded(text: Uint8Array): Uint8Array {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === 0x25 /* % */ ? String.fromCharCode(text[i + 1] ?? 0, text[i + 2] ?? 0) : '';
    if (HEX.test(hex)) {
      out[n++] = Number.parseInt(hex, 16);
      i += 2;
    } else {
      out[n++] = text[i]!; // a lone '%' stays itself, as URLSearchParams reads it
    }
  }
  return out.subarray(0, n);
}

/** Whether percent-encoded text (a URL's query string, a form body) decodes to UTF-8. */
export function isPercentEncodedUtf8(text: string): boolean {
  // Only an escaped byte of 0x80 or more can make it invalid: most query strings stop here.
  if (!/%[89a-fA-F]/.test(text)) return true;
  return isUtf8(percentDecoded(Buffer.from(text, 'utf8')));
}
