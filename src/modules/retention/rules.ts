import { isLive } from '../../db/live.js';
import { type RawBuilder, sql } from 'kysely';
import { typed } from '../../db/portable.js';
import type { Dialect, Params, Placeholders } from '../../db/statements.js';

/**
 * The retention rules, each a condition on a session at a moment (see `service.ts`). A rule is one
 * `WHERE` fragment over `sessions`, written here once and used both to pick candidates
 * (`store.ts`) and inside the write that ends or deletes one (the sessions store's guarded
 * update and delete): a session changed since it was picked (its expiry moved, a client touched
 * it) no longer matches, and is left alone.
 */
export type RetentionRule =
  /** `expiresAt` at or before `at`. */
  | { kind: 'expired'; at: string }
  /**
   * Live at `at`, of `status` (`active` or `paused`: one at a time, so that the walk follows one
   * index range in order), and neither updated nor appended to since `since`.
   */
  | { kind: 'idle'; status: 'active' | 'paused'; at: string; since: string }
  /** Live at `at`, `ended`, and not updated since `before`. */
  | { kind: 'ended'; at: string; before: string };

export type RuleKind = RetentionRule['kind'];

/** Where a retention walk is: the rule's time column and the session id. */
export interface RetentionKey {
  id: string;
  at: string;
}

/** The parameters every rule fragment may name (a rule's statement is compiled per kind). */
export type RuleParams = { ruleAt: string; ruleStatus: string; ruleSince: string; ruleBefore: string };

/** The time column a rule's walk follows (through its index). */
export function ruleColumn(kind: RuleKind): 'expires_at' | 'updated_at' {
  return kind === 'expired' ? 'expires_at' : 'updated_at';
}

/** A rule of `kind` as a `WHERE` fragment over `sessions`, its values named by `RuleParams`. */
export function ruleFilter(kind: RuleKind, p: Placeholders<RuleParams>, dialect: Dialect): RawBuilder<boolean> {
  // Typed on PostgreSQL: a parameter compared with a column inside a sub-query or an OR is inferred,
  // but saying it costs nothing and keeps every rule's parameters alike.
  const time = (name: 'ruleAt' | 'ruleSince' | 'ruleBefore') => typed(p(name), 'timestamptz', dialect);
  switch (kind) {
    case 'expired':
      return sql<boolean>`expires_at <= ${time('ruleAt')}`;
    case 'idle':
      // Activity is a write to the session row (updated_at) or an append (its last message).
      return sql<boolean>`status = ${typed(p('ruleStatus'), 'text', dialect)} AND ${isLive(time('ruleAt'))} AND updated_at < ${time('ruleSince')} AND NOT EXISTS (SELECT 1 FROM history h_ WHERE h_.session_id = sessions.id AND h_.seq = sessions.last_seq AND h_.timestamp >= ${time('ruleSince')})`;
    case 'ended':
      return sql<boolean>`status = 'ended' AND ${isLive(time('ruleAt'))} AND updated_at < ${time('ruleBefore')}`;
  }
}

/** A rule's values under the names its fragment uses (the unused ones are never compiled in, but are typed). */
export function ruleParams(rule: RetentionRule): RuleParams & Params {
  return {
    ruleAt: rule.at,
    ruleStatus: rule.kind === 'idle' ? rule.status : '',
    ruleSince: rule.kind === 'idle' ? rule.since : '',
    ruleBefore: rule.kind === 'ended' ? rule.before : '',
  };
}

/** Which sessions a by-id write may touch: those live at `liveAt`, and/or those `rule` selects. */
export interface SessionScope {
  liveAt?: string;
  rule?: RetentionRule;
}

/** What a scope's statement text depends on: whether it has a live filter, and its rule's kind. */
export interface ScopeShape extends Record<string, boolean> {
  live: boolean;
  expired: boolean;
  idle: boolean;
  ended: boolean;
}

export function scopeShape(scope: SessionScope): ScopeShape {
  const kind = scope.rule?.kind;
  return { live: scope.liveAt !== undefined, expired: kind === 'expired', idle: kind === 'idle', ended: kind === 'ended' };
}

export type ScopeParams = RuleParams & { liveAt: string };

export function scopeParams(scope: SessionScope): ScopeParams & Params {
  const rule = scope.rule ? ruleParams(scope.rule) : { ruleAt: '', ruleStatus: '', ruleSince: '', ruleBefore: '' };
  return { ...rule, liveAt: scope.liveAt ?? '' };
}

/** The `WHERE` fragments of a scope of this shape (none: any session). */
export function scopeFilter(shape: ScopeShape, p: Placeholders<ScopeParams>, dialect: Dialect): RawBuilder<boolean>[] {
  const where: RawBuilder<boolean>[] = [];
  if (shape.live) where.push(isLive(typed(p('liveAt'), 'timestamptz', dialect)));
  for (const kind of ['expired', 'idle', 'ended'] as const) if (shape[kind]) where.push(ruleFilter(kind, p, dialect));
  return where;
}
