import { readFileSync } from 'node:fs';
import { getNamedType, isObjectType, lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';

describe('schema.graphql', () => {
  it('is the printed, sorted Pothos schema (run `npm run schema:print` when this fails)', () => {
    const file = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(file).toBe(`${printSchema(lexicographicSortSchema(schema))}\n`);
  });

  it('has no Relay Node interface or global-id root fields: ids are plain', () => {
    expect(schema.getType('Node')).toBeUndefined();
    expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual(
      ['apiKeys', 'artifact', 'cacheEntry', 'checkpoints', 'memoryItem', 'memoryNamespaces', 'memoryRead', 'memorySearch', 'message', 'metrics', 'metricSeries', 'search', 'searchArtifacts', 'searchSessions', 'session', 'sessions', 'thread', 'usage'].sort(),
    );
  });
});

describe('scopes declared on fields', () => {
  /**
   * Every field below the root that returns records, and whether it declares the `read` scope. A
   * relation (a field that loads other records) must, or a write-only key could read through a
   * mutation's result; a field returning part of its parent's own value must not. A new field of
   * either kind fails here until it is listed, which is the moment to decide.
   */
  it('every relation needs `read`; fields that return their parent’s own value need nothing', () => {
    const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
    const declared: Record<string, unknown> = {};
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || roots.has(type) || type.name.startsWith('__') || /(Connection|Edge)$|^PageInfo$/.test(type.name)) continue;
      for (const field of Object.values(type.getFields())) {
        if (isObjectType(getNamedType(field.type))) {
          declared[`${type.name}.${field.name}`] = field.extensions.requiredScope ?? null;
        }
      }
    }
    expect(declared).toEqual({
      // Relations: they load other records.
      'Session.parent': 'read',
      'Session.forks': 'read',
      'Session.history': 'read',
      'Session.supersededHistory': 'read',
      'Session.state': 'read',
      'State.history': 'read',
      'Session.artifacts': 'read',
      'Session.metrics': 'read',
      'Session.tokens': 'read',
      'Message.session': 'read',
      'SearchHit.session': 'read',
      'ArtifactSearchHit.session': 'read',
      'Thread.checkpoint': 'read',
      'Thread.checkpoints': 'read',
      'Checkpoint.channelValues': 'read',
      'Checkpoint.pendingWrites': 'read',
      'Artifact.content': 'read',
      'Artifact.versions': 'read',
      // Parts of the value itself (what a write returned, or an event's payload).
      'CreatedApiKey.apiKey': null,
      'MemoryOperationResult.item': null,
      'MetricSeries.points': null,
      'MemoryOperationResult.items': null,
      'RetentionReport.expiredDeleted': null,
      'RetentionReport.idleEnded': null,
      'RetentionReport.endedDeleted': null,
      'RetentionReport.threadsDeleted': null,
      'SessionCreated.session': null,
      'SessionUpdated.session': null,
      'SessionDeleted.session': null,
      'MessageAdded.message': null,
      'MessagePopped.message': null,
      'MessageReplaced.message': null,
      'SupersededMessage.message': null,
      'RewriteHistoryPayload.messages': null,
      'StateChanged.state': null,
      'ArtifactCreated.artifact': null,
      'ArtifactDeleted.artifact': null,
      'ArtifactContentSaved.content': null,
      'SavedArtifact.artifact': null,
      'SavedArtifact.content': null,
      'MetricRecorded.metric': null,
      // A search result is the message found (what the search itself read); its highlights are of its snippet.
      'SearchHit.message': null,
      'SearchHit.highlights': null,
      'SessionSearchHit.session': null,
      'SessionSearchHit.highlights': null,
      'ArtifactSearchHit.artifact': null,
      'ArtifactSearchHit.highlights': null,
    });
  });
});
