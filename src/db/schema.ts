/**
 * The tables as the statement builder sees them (Kysely's `Database` type), one interface per
 * table, added as modules move their queries here. Column types are what a statement is given as a
 * parameter — the same on both databases (JSON as text, times as ISO strings); what comes back
 * differs per dialect and is decoded by `codec.ts`. The tables themselves are made by the
 * migrations in `storage/<dialect>/migrations.ts`.
 */
export interface Database {
  cache: CacheTable;
}

export interface CacheTable {
  key: string;
  /** JSON text. */
  value: string;
  ttl: number | null;
  created_at: string;
  accessed_at: string;
  expires_at: string | null;
}
