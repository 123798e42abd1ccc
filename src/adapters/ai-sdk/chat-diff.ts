/**
 * What `saveChat` must do to make a stored chat equal a given list of messages: a pure function of
 * the two lists, so the rule can be read (and property-tested) apart from the requests that carry it out.
 *
 * Messages are matched by their AI SDK id (stored as the message's `idempotencyKey`). The given
 * list is walked against the stored one from the start: while the ids agree, a message whose body
 * changed (a continued assistant answer, an added tool result) is replaced in place and the others
 * are left alone. From the first position where the ids differ — or where one list ends — the
 * stored messages are replaced by the rest of the given list: a regenerated answer (new id), a
 * dropped last answer, an edited turn. When the stored list is a prefix of the given one, that is a
 * plain append.
 */

/** A stored message, as far as the comparison needs it. */
export interface StoredChatMessage {
  /** The AI SDK id it was saved under (its `idempotencyKey`); null for a message not written by this adapter. */
  key: string | null;
  /** The stored UIMessage (null for a message not written by this adapter). */
  item: unknown;
}

export interface ChatSavePlan<M> {
  /** Given messages whose id is stored at the same position with another body: replaced where they stand. */
  replaceInPlace: M[];
  /** How many stored messages, counted from the end, the given list no longer has at their position. */
  replaceLast: number;
  /** The given messages that follow the common prefix, appended after the `replaceLast` ones are set aside. */
  append: M[];
}

/** Whether the plan changes nothing: the stored chat already is the given list. */
export const isEmptyPlan = (plan: ChatSavePlan<unknown>): boolean =>
  plan.replaceInPlace.length === 0 && plan.replaceLast === 0 && plan.append.length === 0;

export function planChatSave<M extends { id: string }>(stored: readonly StoredChatMessage[], given: readonly M[]): ChatSavePlan<M> {
  let common = 0;
  while (common < stored.length && common < given.length && stored[common]!.key === given[common]!.id) common++;
  const replaceInPlace: M[] = [];
  for (let i = 0; i < common; i++) if (!sameJson(stored[i]!.item, given[i])) replaceInPlace.push(given[i]!);
  return { replaceInPlace, replaceLast: stored.length - common, append: given.slice(common) };
}

/**
 * Deep equality of JSON values. Object members compare by name, not order: a message that comes
 * back from the browser with its fields in another order is the same message, and rewriting it
 * would only churn the history.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((value, i) => sameJson(value, b[i]));
  }
  const left = Object.keys(a);
  if (left.length !== Object.keys(b).length) return false;
  return left.every((name) => Object.hasOwn(b, name) && sameJson((a as Record<string, unknown>)[name], (b as Record<string, unknown>)[name]));
}
