import type { Artifact as ArtifactRecord } from '../../domain/records.js';
import { builder } from '../../graphql/builder.js';
import { parsed } from '../../graphql/validation.js';
import { createArtifactInput } from './service.js';

// The artifacts' GraphQL type and root fields: each resolver parses its arguments and calls one
// operation of the tenant's artifact service (`storage.artifacts`). A session's `artifacts`
// connection is in the Session type, through the per-request loaders.

export const Artifact = builder.objectRef<ArtifactRecord>('Artifact');

export const ArtifactConnection = builder.connectionObject({ type: Artifact, name: 'ArtifactConnection' });

Artifact.implement({
  description:
    'A file an agent produced in a session: its record (name, type, path, size), and, when saved with its bytes, ' +
    'their versions (`content`, `versions`).',
  fields: (t) => ({
    id: t.exposeID('id'),
    sessionId: t.exposeID('sessionId'),
    name: t.exposeString('name'),
    type: t.exposeString('type'),
    path: t.exposeString('path'),
    size: t.expose('size', { type: 'NonNegativeInt', description: 'In bytes.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    metadata: t.expose('metadata', { type: 'JSONObject' }),
  }),
});

const CreateArtifactInput = builder.inputType('CreateArtifactInput', {
  fields: (t) => ({
    sessionId: t.id({ required: true }),
    name: t.string({ required: true }),
    type: t.string({ required: true }),
    path: t.string({ required: true }),
    size: t.field({ type: 'NonNegativeInt', required: true, description: 'In bytes.' }),
    metadata: t.field({ type: 'JSONObject', description: 'Defaults to {}.' }),
  }),
});

builder.queryFields((t) => ({
  artifact: t.field({
    type: Artifact,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { loaders }) => loaders.artifact.load(id),
  }),
}));

builder.mutationFields((t) => ({
  createArtifact: t.field({
    type: Artifact,
    args: { input: t.arg({ type: CreateArtifactInput, required: true, validate: { schema: createArtifactInput } }) },
    resolve: (_root, args, { storage }) => storage.artifacts.create(parsed(createArtifactInput, args.input)),
  }),
  deleteArtifact: t.id({
    description: 'Deletes an artifact; returns its id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { storage }) => {
      await storage.artifacts.delete(id);
      return id;
    },
  }),
}));
