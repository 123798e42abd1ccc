import { z } from 'zod';
import { messageRole, sessionStatus, shortText, timestamp } from '../../domain/inputs.js';
import { parseSearchQuery, type SearchQuery } from './query.js';

export const SEARCH_LIMITS = {
  /** Results a page holds at most, and by default. */
  limit: 100,
  defaultLimit: 20,
  /** Sessions a search may be limited to. */
  sessionIds: 100,
  /** Keys of a metadata filter. */
  metadataKeys: 16,
  /** `totalCount` is exact up to here; past it, it says "at least this many". */
  countBound: 10_000,
  cursor: 512,
} as const;

/** The query text, parsed (query.ts): a problem with it is the field's issue, a 400. */
export const searchQuery = z.string().transform((text, ctx): SearchQuery => {
  const parsed = parseSearchQuery(text);
  if ('problem' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  }
  return parsed;
});

const jsonScalar = z.union([z.string(), z.number().finite(), z.boolean(), z.null()]);
// A metadata key is written into a JSON path on SQLite ('$."key"'), which has no escape for '"'.
const metadataKey = shortText.refine((k) => !k.includes('"') && !k.includes('\\'), { message: 'a metadata key in a filter cannot contain " or \\' });
const metadataFilter = z
  .record(metadataKey, jsonScalar)
  .refine((o) => Object.keys(o).length <= SEARCH_LIMITS.metadataKeys, { message: `may name at most ${SEARCH_LIMITS.metadataKeys} keys` });

/** A search as every door receives it (camelCase; REST maps its names onto these). */
export const searchInput = z.object({
  query: searchQuery,
  agentName: shortText.nullish(),
  userId: shortText.nullish(),
  sessionIds: z.array(shortText).min(1, 'must name at least one session').max(SEARCH_LIMITS.sessionIds, `must name at most ${SEARCH_LIMITS.sessionIds} sessions`).nullish(),
  roles: z.array(messageRole).min(1, 'must name at least one role').nullish(),
  status: sessionStatus.nullish(),
  since: timestamp.nullish(),
  until: timestamp.nullish(),
  /** The message's metadata holds each of these keys with this value (compared as JSON). */
  metadata: metadataFilter.nullish(),
  /** The session's metadata holds each of these keys with this value. */
  sessionMetadata: metadataFilter.nullish(),
  limit: z.number().int('must be a whole number').min(1, 'must be at least 1').max(SEARCH_LIMITS.limit, `must be at most ${SEARCH_LIMITS.limit}`).nullish(),
  cursor: z.string().max(SEARCH_LIMITS.cursor).nullish(),
});
export type SearchInput = z.output<typeof searchInput>;
