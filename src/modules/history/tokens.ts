import type { Tiktoken } from 'js-tiktoken/lite';

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
