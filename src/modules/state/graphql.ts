import { expectedVersion, setStateInput, shortText, statePatch } from '../../domain/inputs.js';
import type { State as StateRecord } from '../../domain/records.js';
import { builder } from '../../graphql/builder.js';
import { PAGED_BY_DEFAULT, readPage, stateVersionKeyset, toConnection } from '../../graphql/pagination.js';
import { READS_OTHER_RECORDS } from '../../graphql/scopes.js';
import { parsed } from '../../graphql/validation.js';
import { pagedByDefault } from '../../domain/paging.js';

// The state's GraphQL type and root fields: each resolver parses its arguments and calls one
// operation of the tenant's state service (`storage.state`). A session's `state` field is in the
// Session type, through the per-request loaders.

export const State = builder.objectRef<StateRecord>('State');
/** One kept version of a state: what the state was after that write. */
export const StateVersion = builder.objectRef<StateRecord>('StateVersion');

/** The fields a state and each of its versions have. */
type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
const stateFields = (t: PothosSchemaTypes.ObjectFieldBuilder<Types, StateRecord>) => ({
  sessionId: t.exposeID('sessionId'),
  // Nullable: JSON null is a value the REST door can store.
  data: t.expose('data', { type: 'JSON', nullable: true }),
  updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  version: t.exposeInt('version', {
    description: '1 when the state is created, one more on every write. Pass it as `expectedVersion` to write only if nobody else wrote since.',
  }),
});

StateVersion.implement({
  description: "A version of a session's state as that write stored it (see State.history).",
  fields: stateFields,
});

const StateVersionConnection = builder.connectionObject({ type: StateVersion, name: 'StateVersionConnection' });

State.implement({
  description: 'Whatever an agent keeps between turns of a session: one JSON value per session.',
  fields: (t) => ({
    ...stateFields(t),
    history: t.connection(
      {
        type: StateVersion,
        extensions: { ...READS_OTHER_RECORDS, ...PAGED_BY_DEFAULT },
        description:
          "The state's kept versions, newest first, the current one included: the last STATE_HISTORY_VERSIONS writes " +
          '(deleting the state deletes them; a fork or an import starts with its current version).',
        resolve: async (state, args, { config, loaders }) => {
          const page = readPage(args, stateVersionKeyset, pagedByDefault(config.maxPageSize));
          const rows = await loaders.stateHistoryPage(page.slice).load(state.sessionId);
          return toConnection(rows, page, stateVersionKeyset, () => loaders.stateHistoryCount.load(state.sessionId));
        },
      },
      StateVersionConnection,
    ),
  }),
});

const setStateArgs = setStateInput.extend({ sessionId: shortText, expectedVersion: expectedVersion.nullish() });
const patchStateArgs = setStateArgs.omit({ data: true }).extend({ patch: statePatch });

const EXPECTED_VERSION =
  'Compare-and-set: write only if the state is at this version (0: only if there is no state yet); ' +
  'else a CONFLICT error whose `extensions.currentVersion` is the version now (0: no state). Absent: write whatever the version.';

builder.mutationFields((t) => ({
  setState: t.field({
    type: State,
    description: 'Sets (or replaces) the state of a session.',
    args: {
      sessionId: t.arg.id({ required: true }),
      data: t.arg({ type: 'JSON', required: true }),
      expectedVersion: t.arg.int({ description: EXPECTED_VERSION }),
    },
    validate: { schema: setStateArgs },
    resolve: (_root, args, { storage }) => {
      const { sessionId, data, expectedVersion } = parsed(setStateArgs, args);
      return storage.state.set(sessionId, data, expectedVersion);
    },
  }),
  patchState: t.field({
    type: State,
    description:
      'Applies a JSON Merge Patch (RFC 7396) to the state, atomically: members set to null are removed, objects are merged ' +
      'recursively, anything else replaces. A session without state is patched as if it were {} (and gets a state).',
    args: {
      sessionId: t.arg.id({ required: true }),
      patch: t.arg({ type: 'JSON', required: true }),
      expectedVersion: t.arg.int({ description: EXPECTED_VERSION }),
    },
    validate: { schema: patchStateArgs },
    resolve: (_root, args, { storage }) => {
      const { sessionId, patch, expectedVersion } = parsed(patchStateArgs, args);
      return storage.state.patch(sessionId, patch, expectedVersion);
    },
  }),
  deleteState: t.id({
    description: 'Deletes the state of a session; returns the session id. A state set again afterwards starts at version 1.',
    args: { sessionId: t.arg.id({ required: true }) },
    resolve: async (_root, { sessionId }, { storage }) => {
      await storage.state.delete(sessionId);
      return sessionId;
    },
  }),
}));
