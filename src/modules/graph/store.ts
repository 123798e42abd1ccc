import { createHash } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import { inList } from '../../db/portable.js';
import { type Row, type Runner, tx } from '../../db/runner.js';
import { defineStatementFamily, defineStatements, type Dialect, type Placeholders } from '../../db/statements.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Entity, KnowledgeGraph, ObservationAddition, ObservationDeletion, ObservationsAdded, Relation } from './model.js';

/** An entity named in a write is not in the graph (the reference server's message). */
export class EntityNotFoundError extends NotFoundError {
  constructor(readonly entityName: string) {
    super('Entity');
    this.message = `Entity with name ${entityName} not found`;
  }
}

/** Which part of the graph a read returns. */
export type GraphSelection =
  | { kind: 'all' }
  /** Entities whose name, type or an observation contains `query`, ignoring case (see `fold`). */
  | { kind: 'search'; query: string }
  | { kind: 'names'; names: readonly string[] };

/**
 * Where one tenant's knowledge graph lives: a row per entity, observation and relation, each with a
 * unique key, so that a write adds or removes rows and a repeat is a no-op — concurrent writers
 * never overwrite each other's work (no read-modify-write of the whole graph, as the reference's
 * file is). Each write is one transaction; a read is two statements (the entities, then the
 * relations touching them). Lists keep the order things were added in.
 */
export interface GraphStore {
  /** Adds the entities whose name is not taken (the first of a name given twice), with their observations; those added, in the order given. */
  createEntities(entities: readonly Entity[], at: string): Promise<Entity[]>;
  /** Adds the relations not there yet; those added, in the order given. Their entities need not exist (as in the reference). */
  createRelations(relations: readonly Relation[], at: string): Promise<Relation[]>;
  /** Adds the contents each entity lacks, all or nothing: an entity that does not exist is `EntityNotFoundError`. */
  addObservations(additions: readonly ObservationAddition[], at: string): Promise<ObservationsAdded[]>;
  /** Deletes the entities, their observations and every relation from or to them; missing names are ignored. */
  deleteEntities(names: readonly string[]): Promise<void>;
  /** Missing entities and observations are ignored. */
  deleteObservations(deletions: readonly ObservationDeletion[]): Promise<void>;
  /** Missing relations are ignored. */
  deleteRelations(relations: readonly Relation[]): Promise<void>;
  /** The selected entities with their observations, and the relations from or to any of them (all relations for `all`). */
  read(selection: GraphSelection): Promise<KnowledgeGraph>;
}

/** What search_nodes compares: the reference lower-cases both sides with JavaScript's `toLowerCase`. */
export const fold = (text: string): string => text.toLowerCase();

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const relationKey = (r: Relation): string => sha256(JSON.stringify([r.from, r.to, r.relationType]));

/** `value` anywhere in the text, as a LIKE pattern: its own `%`, `_` and `\` escaped. */
const containsPattern = (value: string): string => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

type EntityParams = { name: string; entityType: string; nameFolded: string; typeFolded: string; createdAt: string };
type ObservationParams = { entityName: string; content: string; contentFolded: string; contentSha256: string; createdAt: string };
type RelationParams = { from: string; to: string; relationType: string; relationSha256: string; createdAt: string };
type ReadParams = { pattern: string; names: string[] };

const statements = defineStatements({
  insertGraphEntity: (db, p: Placeholders<EntityParams>) =>
    db
      .insertInto('graph_entities')
      .values({ name: p('name'), entity_type: p('entityType'), name_folded: p('nameFolded'), type_folded: p('typeFolded'), created_at: p('createdAt') })
      .onConflict((oc) => oc.column('name').doNothing()),

  insertGraphObservation: (db, p: Placeholders<ObservationParams>) =>
    db
      .insertInto('graph_observations')
      .values({
        entity_name: p('entityName'),
        content: p('content'),
        content_folded: p('contentFolded'),
        content_sha256: p('contentSha256'),
        created_at: p('createdAt'),
      })
      .onConflict((oc) => oc.columns(['entity_name', 'content_sha256']).doNothing()),

  insertGraphRelation: (db, p: Placeholders<RelationParams>) =>
    db
      .insertInto('graph_relations')
      .values({ from_name: p('from'), to_name: p('to'), relation_type: p('relationType'), relation_sha256: p('relationSha256'), created_at: p('createdAt') })
      .onConflict((oc) => oc.column('relation_sha256').doNothing()),

  /**
   * The named entities that exist, locked for the observation writes that follow. PostgreSQL: row
   * locks taken in name order, so that writers of the same entities queue instead of deadlocking in
   * the observations' unique index (NO KEY UPDATE: it does not block the foreign-key checks of rows
   * added meanwhile). SQLite has one writer at a time: nothing to lock.
   */
  lockGraphEntities: (db, p: Placeholders<{ names: string[] }>, dialect) => {
    const q = db.selectFrom('graph_entities').select('name').where(inList('name', p('names'), dialect)).orderBy('name');
    return dialect === 'postgres' ? q.forNoKeyUpdate() : q;
  },

  /** As `lockGraphEntities`, for their deletion. */
  lockGraphEntitiesForDelete: (db, p: Placeholders<{ names: string[] }>, dialect) => {
    const q = db.selectFrom('graph_entities').select('name').where(inList('name', p('names'), dialect)).orderBy('name');
    return dialect === 'postgres' ? q.forUpdate() : q;
  },

  deleteGraphRelationsTouching: (db, p: Placeholders<{ names: string[] }>, dialect) =>
    db.deleteFrom('graph_relations').where((eb) => eb.or([inList('from_name', p('names'), dialect), inList('to_name', p('names'), dialect)])),

  // Their observations go with them (ON DELETE CASCADE).
  deleteGraphEntities: (db, p: Placeholders<{ names: string[] }>, dialect) => db.deleteFrom('graph_entities').where(inList('name', p('names'), dialect)),

  deleteGraphObservation: (db, p: Placeholders<{ entityName: string; contentSha256: string }>) =>
    db.deleteFrom('graph_observations').where('entity_name', '=', p('entityName')).where('content_sha256', '=', p('contentSha256')),

  deleteGraphRelation: (db, p: Placeholders<{ relationSha256: string }>) => db.deleteFrom('graph_relations').where('relation_sha256', '=', p('relationSha256')),
});

/** `column LIKE pattern` with `\` as the escape character, on both databases. */
const like = (column: string, pattern: RawBuilder<string>) => sql<boolean>`${sql.ref(column)} LIKE ${pattern} ESCAPE '\\'`;

/** Which entities a read selects (flags, as a statement family's shape must be): both false is all of them. */
type EntityShape = { search: boolean; names: boolean };

function entityCondition(shape: EntityShape, p: Placeholders<ReadParams>, dialect: Dialect): RawBuilder<boolean> {
  if (shape.names) return inList('e.name', p('names'), dialect);
  if (!shape.search) return sql<boolean>`1 = 1`;
  // The whole graph's observations are scanned (no index serves an infix match): the reference's
  // rule, at the size of an agent's memory.
  return sql<boolean>`(${like('e.name_folded', p('pattern'))} OR ${like('e.type_folded', p('pattern'))}
    OR EXISTS (SELECT 1 FROM graph_observations m WHERE m.entity_name = e.name AND ${like('m.content_folded', p('pattern'))}))`;
}

/** The selected entities, one row per observation (a null one for an entity without), in the order they were added. */
const readGraphEntities = defineStatementFamily('readGraphEntities', (shape: EntityShape) => (_db, p: Placeholders<ReadParams>, dialect) =>
  sql`SELECT e.name, e.entity_type, o.content FROM graph_entities e LEFT JOIN graph_observations o ON o.entity_name = e.name
    WHERE ${entityCondition(shape, p, dialect)} ORDER BY e.seq, o.seq`,
);

/** Every relation, or those from or to the named entities, in the order they were added. */
const readGraphRelations = defineStatementFamily('readGraphRelations', (shape: { all: boolean }) => (db, p: Placeholders<ReadParams>, dialect) => {
  const q = db.selectFrom('graph_relations').select(['from_name', 'to_name', 'relation_type']).orderBy('seq');
  return shape.all ? q : q.where((eb) => eb.or([inList('from_name', p('names'), dialect), inList('to_name', p('names'), dialect)]));
});

const entityRow = z.object({ name: z.string(), entity_type: z.string(), content: z.string().nullable() });
const relationRow = z.object({ from_name: z.string(), to_name: z.string(), relation_type: z.string() });

/** The knowledge graph in a tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlGraphStore implements GraphStore {
  private readonly sql: ReturnType<typeof statements.for>;

  constructor(private readonly runner: Runner) {
    this.sql = statements.for(runner.dialect);
  }

  createEntities(entities: readonly Entity[], at: string): Promise<Entity[]> {
    const { insertGraphEntity, insertGraphObservation } = this.sql;
    return this.runner.transaction(function* () {
      const added: Entity[] = [];
      for (const { name, entityType, observations } of entities) {
        const inserted = yield* tx.write(insertGraphEntity, { name, entityType, nameFolded: fold(name), typeFolded: fold(entityType), createdAt: at });
        if (inserted === 0) continue;
        const kept: string[] = [];
        for (const content of observations) {
          if (yield* tx.write(insertGraphObservation, observationParams(name, content, at))) kept.push(content);
        }
        added.push({ name, entityType, observations: kept });
      }
      return added;
    });
  }

  createRelations(relations: readonly Relation[], at: string): Promise<Relation[]> {
    const { insertGraphRelation } = this.sql;
    return this.runner.transaction(function* () {
      const added: Relation[] = [];
      for (const r of relations) {
        if (yield* tx.write(insertGraphRelation, { ...r, relationSha256: relationKey(r), createdAt: at })) added.push(r);
      }
      return added;
    });
  }

  async addObservations(additions: readonly ObservationAddition[], at: string): Promise<ObservationsAdded[]> {
    const { lockGraphEntities, insertGraphObservation } = this.sql;
    const names = [...new Set(additions.map((a) => a.entityName))];
    return this.runner.transaction(function* () {
      const found = new Set((yield* tx.all(lockGraphEntities, { names })).map((r) => r.name as string));
      const missing = names.find((n) => !found.has(n));
      if (missing !== undefined) throw new EntityNotFoundError(missing);
      const results: ObservationsAdded[] = [];
      for (const { entityName, contents } of additions) {
        const added: string[] = [];
        for (const content of contents) {
          if (yield* tx.write(insertGraphObservation, observationParams(entityName, content, at))) added.push(content);
        }
        results.push({ entityName, addedObservations: added });
      }
      return results;
    });
  }

  async deleteEntities(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const { lockGraphEntitiesForDelete, deleteGraphRelationsTouching, deleteGraphEntities } = this.sql;
    const list = [...names];
    await this.runner.transaction(function* () {
      yield* tx.all(lockGraphEntitiesForDelete, { names: list });
      yield* tx.write(deleteGraphRelationsTouching, { names: list });
      yield* tx.write(deleteGraphEntities, { names: list });
    });
  }

  async deleteObservations(deletions: readonly ObservationDeletion[]): Promise<void> {
    const rows = deletions.flatMap((d) => d.observations.map((content) => ({ entityName: d.entityName, contentSha256: sha256(content) })));
    if (rows.length === 0) return;
    const { lockGraphEntities, deleteGraphObservation } = this.sql;
    const names = [...new Set(rows.map((r) => r.entityName))];
    await this.runner.transaction(function* () {
      yield* tx.all(lockGraphEntities, { names });
      for (const row of rows) yield* tx.write(deleteGraphObservation, row);
    });
  }

  async deleteRelations(relations: readonly Relation[]): Promise<void> {
    if (relations.length === 0) return;
    const keys = [...new Set(relations.map(relationKey))].sort();
    const { deleteGraphRelation } = this.sql;
    await this.runner.transaction(function* () {
      for (const relationSha256 of keys) yield* tx.write(deleteGraphRelation, { relationSha256 });
    });
  }

  async read(selection: GraphSelection): Promise<KnowledgeGraph> {
    const { dialect } = this.runner;
    const params: ReadParams = {
      pattern: selection.kind === 'search' ? containsPattern(fold(selection.query)) : '',
      names: selection.kind === 'names' ? [...selection.names] : [],
    };
    const entities = entitiesOf(await this.runner.all(readGraphEntities(dialect, { search: selection.kind === 'search', names: selection.kind === 'names' }), params));
    // Read after the entities: a relation is shown when it touches one of them.
    const relationRows =
      selection.kind === 'all'
        ? await this.runner.all(readGraphRelations(dialect, { all: true }), params)
        : entities.length === 0
          ? []
          : await this.runner.all(readGraphRelations(dialect, { all: false }), { ...params, names: entities.map((e) => e.name) });
    return {
      entities,
      relations: relationRows.map((row) => {
        const r = relationRow.parse(row);
        return { from: r.from_name, to: r.to_name, relationType: r.relation_type };
      }),
    };
  }
}

function observationParams(entityName: string, content: string, createdAt: string): ObservationParams {
  return { entityName, content, contentFolded: fold(content), contentSha256: sha256(content), createdAt };
}

/** Entities from their rows (consecutive per entity, observations in order). */
function entitiesOf(rows: Row[]): Entity[] {
  const entities: Entity[] = [];
  let last: Entity | undefined;
  for (const row of rows) {
    const r = entityRow.parse(row);
    if (last?.name !== r.name) entities.push((last = { name: r.name, entityType: r.entity_type, observations: [] }));
    if (r.content !== null) last.observations.push(r.content);
  }
  return entities;
}
