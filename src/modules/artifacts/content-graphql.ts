import { z } from 'zod';
import { createArtifactInput } from '../../domain/inputs.js';
import { jsonObject } from '../../domain/json.js';
import type { ArtifactContent as ArtifactContentRecord } from '../../domain/records.js';
import { builder } from '../../graphql/builder.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { READS_OTHER_RECORDS } from '../../graphql/scopes.js';
import type { BlobUsage } from '../blobs/store.js';
import type { SavedContent } from './content-store.js';
import { Artifact } from './graphql.js';
import { isMediaType } from '../../domain/inputs.js';
import { contentPath, type Upload } from './service.js';

// Artifacts' content over GraphQL: the version records (their bytes are downloaded over REST, from
// `url`), the tenant's usage, and uploads by the GraphQL multipart request spec. As in
// content-rest.ts, each resolver parses its arguments and calls one operation of `storage.artifacts`.

export const ArtifactContent = builder.objectRef<ArtifactContentRecord>('ArtifactContent');

ArtifactContent.implement({
  description: "One stored version of an artifact's bytes. The bytes themselves are downloaded from `url` (REST).",
  fields: (t) => ({
    artifactId: t.exposeID('artifactId'),
    version: t.expose('version', { type: 'NonNegativeInt', description: '0, 1, 2, … in the order saved; a deleted version\'s number is never reused.' }),
    sha256: t.exposeString('sha256', { description: "The bytes' SHA-256, lower-case hex (the download's ETag)." }),
    size: t.expose('size', { type: 'NonNegativeInt', description: 'In bytes.' }),
    contentType: t.exposeString('contentType'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    url: t.string({
      description: 'Where this version is downloaded: `GET /storage/artifacts/{id}/content?version=N` on the server that answered, with the same credentials (Range, ETag and HEAD as REST serves them).',
      resolve: (content, _args, { origin }) => `${origin}${contentPath(content.artifactId)}?version=${content.version}`,
    }),
  }),
});

const versionNumber = z.number().int('must be a whole number').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER);

builder.objectFields(Artifact, (t) => ({
  content: t.field({
    type: ArtifactContent,
    nullable: true,
    extensions: READS_OTHER_RECORDS,
    description: 'A version of the bytes: the latest without `version`; null when there is none (no content, or no such version).',
    args: { version: t.arg.int({ validate: { schema: versionNumber } }) },
    resolve: async (artifact, { version }, { loaders }) => {
      const versions = await loaders.artifactVersions.load(artifact.id);
      return (version == null ? versions.at(-1) : versions.find((content) => content.version === version)) ?? null;
    },
  }),
  versions: t.field({
    type: [ArtifactContent],
    extensions: READS_OTHER_RECORDS,
    description: 'Every stored version of the bytes, oldest first; empty when the artifact has no content.',
    resolve: (artifact, _args, { loaders }) => loaders.artifactVersions.load(artifact.id),
  }),
}));

// --- usage ----------------------------------------------------------------------------------------

type UsageRecord = BlobUsage & { tenant: string; quotaBytes: number | null; maxArtifactBytes: number };

const Usage = builder.objectRef<UsageRecord>('Usage').implement({
  description: "What the caller's tenant's artifact content occupies, and its limits (REST: GET /storage/usage).",
  fields: (t) => ({
    tenant: t.exposeString('tenant'),
    storedBytes: t.expose('storedBytes', { type: 'NonNegativeInt', description: 'Bytes stored: each distinct content once, however many versions share it.' }),
    contentBytes: t.expose('contentBytes', { type: 'NonNegativeInt', description: 'The sizes of all versions added up (shared content counted each time).' }),
    blobs: t.expose('blobs', { type: 'NonNegativeInt', description: 'Distinct contents stored.' }),
    versions: t.expose('versions', { type: 'NonNegativeInt', description: 'Versions stored, of all artifacts.' }),
    quotaBytes: t.expose('quotaBytes', { type: 'NonNegativeInt', nullable: true, description: 'How many bytes the tenant may store (STORAGE_QUOTA_BYTES); null: no quota.' }),
    maxArtifactBytes: t.expose('maxArtifactBytes', { type: 'NonNegativeInt', description: 'The largest content one version may have (MAX_ARTIFACT_BYTES).' }),
  }),
});

builder.queryField('usage', (t) =>
  t.field({
    type: Usage,
    description: "The caller's tenant's content usage and limits.",
    resolve: async (_root, _args, { storage, principal, config }) => ({
      tenant: principal.tenant,
      ...(await storage.artifacts.usage()),
      maxArtifactBytes: config.blobs.maxArtifactBytes,
    }),
  }),
);

// --- uploads --------------------------------------------------------------------------------------

const sha256Hex = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal digits (the SHA-256 of the file)')
  .transform((hex) => hex.toLowerCase());

const mediaType = z.string().refine(isMediaType, 'must be a media type such as image/png or text/plain; charset=utf-8 (at most 255 characters)');

const SAVED_WHOLE =
  'The file comes as a part of a multipart request (see the File scalar), which is read whole within MAX_BODY_BYTES before anything runs: ' +
  'larger content goes over REST (PUT /storage/artifacts/{id}/content), which streams it up to MAX_ARTIFACT_BYTES. ';

/** The file's bytes as they are read from the part Yoga keeps of the request. */
async function* chunksOf(file: File): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Also when the service stops early (too large, over the quota).
    await reader.cancel().catch(() => {});
  }
}

/** An uploaded file as the service's `Upload`. */
function uploadOf(file: File, args: { contentType?: string | null; sha256?: string | null }, { config }: GraphQLContext): Upload {
  // The multipart parser keeps a part's media type without its parameters (no charset).
  const contentType = args.contentType ?? (file.type && isMediaType(file.type) ? file.type : 'application/octet-stream');
  return {
    body: chunksOf(file),
    contentType,
    maxBytes: config.blobs.maxArtifactBytes,
    expectedSha256: args.sha256 ?? undefined,
    expectedFrom: ['sha256'],
  };
}

const SavedArtifact = builder.objectRef<SavedContent>('SavedArtifact').implement({
  description: 'What `saveArtifact` did: the artifact it saved to (new, or the latest of that name) and the new version.',
  fields: (t) => ({
    artifact: t.field({ type: Artifact, resolve: (saved) => saved.artifact }),
    content: t.field({ type: ArtifactContent, resolve: (saved) => saved.content }),
    createdArtifact: t.exposeBoolean('createdArtifact', { description: 'Whether the artifact was created by this save (its version is then 0).' }),
  }),
});

builder.mutationFields((t) => ({
  uploadArtifactContent: t.field({
    type: ArtifactContent,
    description:
      "Saves a file as the next version of an artifact's content. " +
      SAVED_WHOLE +
      'NOT_FOUND for an unknown artifact, PAYLOAD_TOO_LARGE over MAX_ARTIFACT_BYTES, INSUFFICIENT_STORAGE over the tenant\'s quota, ' +
      'BAD_USER_INPUT when `sha256` is not the file\'s; nothing is stored then.',
    args: {
      artifactId: t.arg.id({ required: true }),
      file: t.arg({ type: 'File', required: true }),
      contentType: t.arg.string({ description: "The content's media type; default: the file part's (without parameters), else application/octet-stream.", validate: { schema: mediaType } }),
      sha256: t.arg.string({ description: 'The SHA-256 of the file (hex): the upload is refused unless the bytes match.', validate: { schema: sha256Hex } }),
    },
    resolve: (_root, args, ctx) =>
      ctx.storage.artifacts.saveContent(String(args.artifactId), uploadOf(args.file, { contentType: args.contentType, sha256: args.sha256 }, ctx)),
  }),
  saveArtifact: t.field({
    type: SavedArtifact,
    description:
      "Saves a file under a name in a session (ADK's save): a new version of the session's latest artifact of that name, or a new artifact " +
      '(version 0) when it has none. ' +
      SAVED_WHOLE +
      'NOT_FOUND for an unknown session; otherwise as uploadArtifactContent.',
    args: {
      sessionId: t.arg.id({ required: true, validate: { schema: createArtifactInput.shape.sessionId } }),
      name: t.arg.string({ required: true, validate: { schema: createArtifactInput.shape.name } }),
      file: t.arg({ type: 'File', required: true }),
      type: t.arg.string({ description: "A new artifact's type; default: the content's type.", validate: { schema: createArtifactInput.shape.type } }),
      path: t.arg.string({ description: "A new artifact's path; default: its content's download path.", validate: { schema: createArtifactInput.shape.path } }),
      metadata: t.arg({ type: 'JSONObject', description: "A new artifact's metadata; default: {}.", validate: { schema: jsonObject } }),
      contentType: t.arg.string({ description: "The content's media type; default: the file part's (without parameters), else application/octet-stream.", validate: { schema: mediaType } }),
      sha256: t.arg.string({ description: 'The SHA-256 of the file (hex): the upload is refused unless the bytes match.', validate: { schema: sha256Hex } }),
    },
    resolve: (_root, args, ctx) =>
      ctx.storage.artifacts.saveNamed(
        {
          sessionId: String(args.sessionId),
          name: args.name,
          type: args.type ?? undefined,
          path: args.path ?? undefined,
          metadata: args.metadata ?? undefined,
        },
        uploadOf(args.file, { contentType: args.contentType, sha256: args.sha256 }, ctx),
      ),
  }),
  deleteArtifactContent: t.field({
    type: ['NonNegativeInt'],
    description:
      "Deletes a version of an artifact's content, or without `version` every version (the artifact record stays; deleteArtifact deletes both); " +
      'returns the versions deleted. NOT_FOUND when there is no such artifact, version or content.',
    args: {
      artifactId: t.arg.id({ required: true }),
      version: t.arg.int({ validate: { schema: versionNumber } }),
    },
    resolve: (_root, { artifactId, version }, { storage }) => storage.artifacts.deleteContent(String(artifactId), version ?? null),
  }),
}));
