import type { Writable } from 'node:stream';
import { OPEN_ACCESS } from '../auth/principal.js';
import { type Clock, systemClock } from '../domain/clock.js';
import { NotFoundError } from '../domain/errors.js';
import { createIdGenerator } from '../domain/ids.js';
import type { CreateApiKeyInput } from '../domain/inputs.js';
import type { ApiKey } from '../domain/records.js';
import { ApiKeyService } from '../modules/keys/service.js';
import type { ApiKeyStore } from '../modules/keys/store.js';
import { CliFailure } from './streams.js';

/*
 * `agent-storage keys ...`: the rules are `ApiKeyService`'s (the same as createApiKey/revokeApiKey/apiKeys
 * over GraphQL); this module only chooses the principal and prints. The CLI acts as the operator
 * (OPEN_ACCESS): whoever can open the default tenant's database could write the keys table anyway.
 */

export interface KeysOutput {
  stdout: Writable;
  stderr: Writable;
  json: boolean;
}

const apiKeysOver = (store: ApiKeyStore, clock: Clock) => new ApiKeyService(store, clock, createIdGenerator(clock));

/**
 * Prints the secret alone on stdout (so `KEY=$(agent-storage keys create ...)` takes just it) and
 * what the key is on stderr; or, with `--json`, one object holding both.
 */
export async function createKey(store: ApiKeyStore, input: CreateApiKeyInput, out: KeysOutput, clock: Clock = systemClock): Promise<void> {
  const { key, apiKey } = await apiKeysOver(store, clock).create(OPEN_ACCESS, input);
  if (out.json) {
    out.stdout.write(`${JSON.stringify({ key, ...keyJson(apiKey) })}\n`);
    return;
  }
  out.stdout.write(`${key}\n`);
  out.stderr.write(
    `Created API key ${apiKey.id} for tenant "${apiKey.tenant}" with scopes ${apiKey.scopes.join(', ')}` +
      `${apiKey.name === null ? '' : ` (name ${JSON.stringify(apiKey.name)})`}.\n` +
      'The secret above is not stored and cannot be shown again: keep it now (Authorization: Bearer <key>).\n',
  );
}

/** Every tenant's keys (`tenant` null) or one tenant's, revoked ones included; never a secret (none is stored). */
export async function listKeys(store: ApiKeyStore, tenant: string | null, out: KeysOutput, clock: Clock = systemClock): Promise<void> {
  const keys = await apiKeysOver(store, clock).list(OPEN_ACCESS, tenant);
  if (out.json) {
    out.stdout.write(`${JSON.stringify(keys.map(keyJson), null, 2)}\n`);
    return;
  }
  if (keys.length === 0) {
    out.stderr.write(`No API keys${tenant === null ? '' : ` for tenant "${tenant}"`}.\n`);
    return;
  }
  out.stdout.write(keyTable(keys));
}

export async function revokeKey(store: ApiKeyStore, id: string, out: KeysOutput, clock: Clock = systemClock): Promise<void> {
  const before = await store.byId(id);
  let apiKey: ApiKey;
  try {
    apiKey = await apiKeysOver(store, clock).revoke(OPEN_ACCESS, id);
  } catch (error) {
    if (error instanceof NotFoundError) throw new CliFailure(`no API key ${id} (see: agent-storage keys list)`);
    throw error;
  }
  if (out.json) {
    out.stdout.write(`${JSON.stringify(keyJson(apiKey))}\n`);
    return;
  }
  out.stdout.write(
    before?.revokedAt
      ? `API key ${apiKey.id} (tenant "${apiKey.tenant}") was already revoked at ${apiKey.revokedAt}.\n`
      : `Revoked API key ${apiKey.id} (tenant "${apiKey.tenant}") at ${apiKey.revokedAt}; running servers refuse it within 5 seconds.\n`,
  );
}

/** A key as the CLI prints it in JSON: snake_case, like the bundle and the REST API. */
export function keyJson(key: ApiKey) {
  return { id: key.id, tenant: key.tenant, name: key.name, scopes: key.scopes, created_at: key.createdAt, revoked_at: key.revokedAt };
}

/** Aligned columns; the name comes last because it is free text (shown JSON-quoted, so it cannot break a line). */
function keyTable(keys: readonly ApiKey[]): string {
  const rows = [
    ['ID', 'TENANT', 'SCOPES', 'CREATED', 'REVOKED', 'NAME'],
    ...keys.map((k) => [k.id, k.tenant, k.scopes.join(','), k.createdAt, k.revokedAt ?? '-', k.name === null ? '-' : JSON.stringify(k.name)]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n') + '\n';
}
