import { setStateInput, shortText } from '../../domain/inputs.js';
import type { State as StateRecord } from '../../domain/records.js';
import { builder } from '../builder.js';
import { parsed } from '../validation.js';

export const State = builder.objectRef<StateRecord>('State');

State.implement({
  description: 'Whatever an agent keeps between turns of a session: one JSON value per session.',
  fields: (t) => ({
    sessionId: t.exposeID('sessionId'),
    // Nullable: JSON null is a value the REST door can store.
    data: t.expose('data', { type: 'JSON', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const setStateArgs = setStateInput.extend({ sessionId: shortText });

builder.mutationFields((t) => ({
  setState: t.field({
    type: State,
    description: 'Sets (or replaces) the state of a session.',
    args: {
      sessionId: t.arg.id({ required: true }),
      data: t.arg({ type: 'JSON', required: true }),
    },
    validate: { schema: setStateArgs },
    resolve: (_root, args, { storage }) => {
      const { sessionId, data } = parsed(setStateArgs, args);
      return storage.setState(sessionId, data);
    },
  }),
  deleteState: t.id({
    description: 'Deletes the state of a session; returns the session id.',
    args: { sessionId: t.arg.id({ required: true }) },
    resolve: async (_root, { sessionId }, { storage }) => {
      await storage.deleteState(sessionId);
      return sessionId;
    },
  }),
}));
