/**
 * The history the search benchmark searches: `sessions` × `perSession` messages of ordinary words
 * drawn from a small vocabulary with Zipf-like frequencies (a few words in most messages, most
 * words rare), plus planted words and phrases whose frequencies are known, so that each query of
 * the mix matches a planned share of the messages whatever the corpus size. Deterministic: the
 * same sizes give the same messages on both databases.
 */

export interface CorpusSizes {
  sessions: number;
  perSession: number;
}

/** Agents the sessions are spread over (`agent-0` … `agent-19`): a filter keeps one in 20. */
export const AGENTS = 20;

const VOCABULARY_SIZE = 5000;
/** Zipf exponent: the k-th most frequent word is about 1/k as frequent as the first. */
const ZIPF_S = 1.0;
const MIN_WORDS = 8;
const MAX_WORDS = 32;

/** Deterministic 32-bit PRNG (mulberry32): the corpus must not depend on Math.random. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Words made of syllables ("kavo", "tumeri"): none is an English word, so the planted ones below
// occur only where they are planted.
const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'ch', 'sh'];
const VOWELS = ['a', 'e', 'i', 'o', 'u'];

/** The ordinary words, most frequent first. */
export const VOCABULARY: readonly string[] = (() => {
  const random = prng(17);
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < VOCABULARY_SIZE) {
    const syllables = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < syllables; i++) word += ONSETS[Math.floor(random() * ONSETS.length)]! + VOWELS[Math.floor(random() * VOWELS.length)]!;
    if (!seen.has(word)) {
      seen.add(word);
      out.push(word);
    }
  }
  return out;
})();

const CUMULATIVE = (() => {
  const c = new Float64Array(VOCABULARY_SIZE);
  let total = 0;
  for (let k = 0; k < VOCABULARY_SIZE; k++) c[k] = total += 1 / (k + 1) ** ZIPF_S;
  for (let k = 0; k < VOCABULARY_SIZE; k++) c[k]! /= total;
  return c;
})();

function zipfWord(random: () => number): string {
  const x = random();
  let lo = 0;
  let hi = VOCABULARY_SIZE - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUMULATIVE[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return VOCABULARY[lo]!;
}

/** A word planted in a handful of messages: the needle. */
export const RARE_WORD = 'xylograph';
/** How many messages hold the rare word (at least a few, however small the corpus). */
export const rareCount = (messages: number) => Math.max(5, Math.round(messages / 40_000));

/** Planted insertions, each with the share of messages that get it (independently). */
const PLANTED: readonly { words: string; share: number }[] = [
  // The phrase, in 0.1% of the messages…
  { words: 'refund policy exception', share: 0.001 },
  // …and its words apart (out of order, so only the phrase's positions tell them from it).
  { words: 'policy', share: 0.004 },
  { words: 'refund', share: 0.004 },
  // A family of words sharing a prefix, ~1.2% of the messages in all.
  { words: 'invoice', share: 0.004 },
  { words: 'invoices', share: 0.003 },
  { words: 'invoiced', share: 0.003 },
  { words: 'invoicing', share: 0.002 },
];

/** The two ordinary words of the AND query: frequent (Zipf ranks 20 and 60: each in several % of the messages). */
export const AND_WORDS = [VOCABULARY[20]!, VOCABULARY[60]!] as const;

/** The queries of the mix: REST query strings (without `limit`) and what they exercise. */
export interface SearchCase {
  id: string;
  description: string;
  q: string;
  agentName?: string;
}

export const SEARCH_CASES: readonly SearchCase[] = [
  { id: 'rare', description: `a word planted in a few messages (${RARE_WORD})`, q: RARE_WORD },
  { id: 'phrase', description: 'a phrase ("refund policy"; its words also apart)', q: '"refund policy"' },
  { id: 'prefix', description: 'a prefix (invoic*: four words, ~1.2% of messages)', q: 'invoic*' },
  { id: 'and-agent', description: `two frequent words (AND) in one agent's sessions (agent_name filter, 1 in ${AGENTS})`, q: AND_WORDS.join(' '), agentName: 'agent-7' },
];

/** The REST query string of a case. */
export function restQuery(c: SearchCase, limit: number): string {
  const params = new URLSearchParams({ q: c.q, limit: String(limit) });
  if (c.agentName !== undefined) params.set('agent_name', c.agentName);
  return params.toString();
}

export interface CorpusSession {
  index: number;
  agentName: string;
  userId: string;
}

export const sessionOf = (s: number): CorpusSession => ({ index: s, agentName: `agent-${s % AGENTS}`, userId: `user_${s % 200}` });

/**
 * The text of message `n` (0-based over the whole corpus of `messages`): ordinary words, a capital
 * and a full stop, and whatever is planted in it.
 */
export function messageText(n: number, messages: number): string {
  const random = prng(n * 2654435761 + 1);
  const count = MIN_WORDS + Math.floor(random() * (MAX_WORDS - MIN_WORDS + 1));
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(zipfWord(random));
  const plant = (words: string) => out.splice(Math.floor(random() * (out.length + 1)), 0, words);
  for (const p of PLANTED) if (random() < p.share) plant(p.words);
  const step = Math.floor(messages / rareCount(messages));
  if (n % step === step >> 1) plant(RARE_WORD);
  const text = out.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}
