import { isUtf8 } from 'node:buffer';

/**
 * Text reaches the service as UTF-8 bytes: request bodies, and percent-encoded in URLs. Decoding
 * alone never fails — each invalid byte silently becomes U+FFFD, and "a\xff\xfe" would be stored
 * as "a��" — so every door checks the bytes first and refuses what is not UTF-8 (400). The checks
 * (simdutf, inside Node) cost next to nothing next to parsing the JSON.
 */

export { isUtf8 };

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
