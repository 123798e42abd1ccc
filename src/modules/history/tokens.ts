import type { Tiktoken } from 'js-tiktoken/lite';
import { sql } from 'kysely';
import { inLiveSessions } from '../../db/live.js';
import { typed } from '../../db/portable.js';
import { defineStatements, type Placeholders } from '../../db/statements.js';

/**
 * The server's estimate of a message's tokens, when an append asks for it (`count_tokens`):
 * OpenAI's `o200k_base` encoding (GPT-4o and later), counted offline by js-tiktoken over the
 * message's text. Other models' tokenizers differ (by some percent for English, more for other
 * scripts and for code), so it is an estimate; a client that knows its model's count sends
 * `token_count` itself.
 *
 * The encoding's ranks (2 MB) are loaded on the first count, not at start-up.
 */
export const TOKENIZER = 'o200k_base';

let encoder: Promise<Tiktoken> | undefined;

function loadEncoder(): Promise<Tiktoken> {
  encoder ??= Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/o200k_base')]).then(
    ([{ Tiktoken }, { default: ranks }]) => new Tiktoken(ranks),
  );
  return encoder;
}

/** The number of `o200k_base` tokens of each text. */
export async function countTokens(texts: readonly string[]): Promise<number[]> {
  const tiktoken = await loadEncoder();
  // Special tokens' text ("<|endoftext|>") in a message is text: counted as ordinary tokens, never refused.
  return texts.map((text) => tiktoken.encode(text, [], []).length);
}

/**
 * What a budget read counts for a message whose count is not known: a quarter of its characters,
 * rounded up — the usual rule of thumb for English (see docs/search.md, "Token budgets").
 */
export const UNKNOWN_TOKENS_PER_CHARACTER = 0.25;

/** A session's tokens: the counts known, plus the estimate for messages without one. */
export interface TokenTotal {
  tokens: number;
  messages: number;
  /** Messages whose count is not known: the total holds the estimate for them. */
  estimatedMessages: number;
}

/** A message's tokens as a budget counts them (UNKNOWN_TOKENS_PER_CHARACTER for an unknown count). */
const tokensOf = sql<number>`COALESCE(h.token_count, (length(h.content) + 3) / 4)`;

export const tokenStatements = defineStatements({
  /**
   * The newest messages of each session whose tokens add up to at most `maxTokens`, oldest first: a
   * running sum from the newest back, cut where it first exceeds the budget (a suffix, never a gap).
   */
  withinTokens: (_db, p: Placeholders<{ sessionIds: string[]; maxTokens: number; liveAt: string }>, dialect) =>
    sql`SELECT * FROM (
        SELECT h.*, SUM(${tokensOf}) OVER (PARTITION BY h.session_id ORDER BY h.seq DESC ROWS UNBOUNDED PRECEDING) AS running_tokens_
        FROM history h WHERE ${inLiveSessions('h.session_id', p('sessionIds'), p('liveAt'), dialect)}
      ) t_ WHERE running_tokens_ <= ${typed(p('maxTokens'), 'bigint', dialect)} ORDER BY session_id, seq`,
  tokenTotals: (_db, p: Placeholders<{ sessionIds: string[]; liveAt: string }>, dialect) =>
    sql`SELECT h.session_id AS group_, SUM(${tokensOf}) AS tokens, COUNT(*) AS messages,
        SUM(CASE WHEN h.token_count IS NULL THEN 1 ELSE 0 END) AS estimated
      FROM history h WHERE ${inLiveSessions('h.session_id', p('sessionIds'), p('liveAt'), dialect)} GROUP BY h.session_id`,
});
