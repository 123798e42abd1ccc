import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CONTENT_TYPE, readPart, storedPart, TEXT_TYPE, versionFacts } from '../../../src/adapters/adk/artifact-parts.js';

/*
 * An ADK Part as stored bytes and a content type, and back: every kind of Part reads back as the
 * Part saved (an inline text/plain stays inline, a text Part stays text), with its display name
 * and the save's custom metadata; content stored by other clients reads by its type alone.
 */

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const mimeType = fc.constantFrom('image/png', 'application/pdf', 'text/plain', 'text/plain; charset=utf-8', 'text/csv; charset=utf-8', 'application/json');
// Small enough to fit the service's content type (a larger one is refused: see the last test).
const metadata = fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 3 }), { nil: undefined });

describe('artifact parts', () => {
  it('reads back every inline Part with its bytes, type, display name and custom metadata', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), mimeType, fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }), metadata, (bytes, type, displayName, customMetadata) => {
        const part = { inlineData: { data: base64(bytes), mimeType: type, ...(displayName && { displayName }) } };
        const stored = storedPart(part, customMetadata);
        expect(Buffer.from(stored.bytes)).toEqual(Buffer.from(bytes));
        expect(stored.mimeType).toBe(type);
        const read = readPart(stored.bytes, stored.contentType);
        expect(read.part).toEqual(part);
        expect(read.customMetadata).toEqual(customMetadata);
        expect(versionFacts(stored.contentType)).toEqual({ mimeType: type, customMetadata });
      }),
    );
  });

  it('reads back text Parts as text, stored as UTF-8 text/plain', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), metadata, (text, customMetadata) => {
        const stored = storedPart({ text }, customMetadata);
        expect(new TextDecoder().decode(stored.bytes)).toBe(text);
        expect(stored.contentType.startsWith(TEXT_TYPE)).toBe(true);
        expect(readPart(stored.bytes, stored.contentType)).toEqual({ part: { text }, mimeType: undefined, customMetadata });
      }),
    );
    // Nothing to record: the content type is the plain one a download shows.
    expect(storedPart({ text: 'hi' }, undefined).contentType).toBe(TEXT_TYPE);
    expect(storedPart({ inlineData: { data: base64(new Uint8Array([1])), mimeType: 'image/png' } }, undefined).contentType).toBe('image/png');
  });

  it('keeps a file reference as no bytes and its URI', () => {
    const part = { fileData: { fileUri: 'gs://bucket/report.pdf', mimeType: 'application/pdf', displayName: 'report.pdf' } };
    const stored = storedPart(part, { pages: 3 });
    expect(stored.bytes).toHaveLength(0);
    expect(readPart(stored.bytes, stored.contentType)).toEqual({ part, mimeType: 'application/pdf', customMetadata: { pages: 3 } });
    expect(() => storedPart({ fileData: { mimeType: 'application/pdf' } }, undefined)).toThrow('Artifact fileData must have a fileUri.');
  });

  it("reads content other clients stored by its type: text/plain as text, the rest inline; a foreign adk parameter is ignored", () => {
    const bytes = new TextEncoder().encode('plain');
    expect(readPart(bytes, 'text/plain').part).toEqual({ text: 'plain' });
    expect(readPart(bytes, 'Text/Plain; charset=UTF-8').part).toEqual({ text: 'plain' });
    expect(readPart(bytes, 'application/x-thing').part).toEqual({ inlineData: { data: base64(bytes), mimeType: 'application/x-thing' } });
    expect(readPart(bytes, 'application/x-thing; adk=bm90LWpzb24').part).toEqual({ inlineData: { data: base64(bytes), mimeType: 'application/x-thing' } });
  });

  it('refuses what does not fit the content type the service keeps, and says so', () => {
    const stored = storedPart({ text: 'x' }, { note: 'n'.repeat(100) });
    expect(stored.contentType.length).toBeLessThanOrEqual(MAX_CONTENT_TYPE);
    expect(() => storedPart({ text: 'x' }, { note: 'n'.repeat(200) })).toThrow(/at most 255 per version/);
  });
});
