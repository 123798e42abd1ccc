import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it as plainIt } from 'vitest';
import { EntityNotFoundError, GraphService, type Entity, type KnowledgeGraph, type Relation } from '../../../src/modules/graph/service.js';
import { SqlGraphStore } from '../../../src/modules/graph/store.js';
import { databases, type OpenDatabase } from '../../support/databases.js';
import { ManualClock } from '../../support/fixtures.js';
import { describeOnDatabases } from '../../support/store-fixture.js';
import { NASTY_STRINGS } from '../../storage/support.js';
import { GraphModel } from './model.js';

/*
 * The knowledge graph's contract: the behaviour of @modelcontextprotocol/server-memory's
 * KnowledgeGraphManager (return shapes, duplicates, deletes of missing things, search), on a real
 * SQLite file and a PostgreSQL schema, through the service over the SQL store.
 */

const entity = (name: string, entityType = 'person', observations: string[] = []): Entity => ({ name, entityType, observations });
const rel = (from: string, to: string, relationType = 'knows'): Relation => ({ from, to, relationType });

describeOnDatabases('knowledge graph store contract', (test) => {
  const it = test.extend('graph', ({ storage }) => storage.graph);

  describe('entities', () => {
    it('creates entities with their observations; answers only the new ones; a taken name is skipped whole', async ({ graph }) => {
      expect(await graph.createEntities([entity('Alice', 'person', ['likes tea']), entity('Bob', 'person')])).toEqual([
        entity('Alice', 'person', ['likes tea']),
        entity('Bob', 'person'),
      ]);
      expect(await graph.createEntities([entity('Alice', 'robot', ['other']), entity('Carol', 'person', ['new'])])).toEqual([entity('Carol', 'person', ['new'])]);
      expect((await graph.readGraph()).entities).toEqual([entity('Alice', 'person', ['likes tea']), entity('Bob', 'person'), entity('Carol', 'person', ['new'])]);
    });

    it('a name given twice in one call: the first wins; repeated observations are kept once', async ({ graph }) => {
      expect(await graph.createEntities([entity('Zed', 'a', ['x', 'y', 'x']), entity('Amy', 'b'), entity('Zed', 'c', ['z'])])).toEqual([
        entity('Zed', 'a', ['x', 'y']),
        entity('Amy', 'b'),
      ]);
      // Listed in the order given, whatever order the rows were written in.
      expect((await graph.readGraph()).entities.map((e) => e.name)).toEqual(['Zed', 'Amy']);
    });

    it('deleting an entity deletes its observations and every relation from or to it; missing names are ignored', async ({ graph }) => {
      await graph.createEntities([entity('A', 't', ['a1', 'a2']), entity('B', 't', ['b1']), entity('C', 't')]);
      await graph.createRelations([rel('A', 'B'), rel('B', 'C'), rel('C', 'A'), rel('B', 'C', 'likes')]);
      await graph.deleteEntities(['A', 'nobody']);
      expect(await graph.readGraph()).toEqual({ entities: [entity('B', 't', ['b1']), entity('C', 't')], relations: [rel('B', 'C'), rel('B', 'C', 'likes')] });
      // A new entity of the same name starts empty.
      await graph.createEntities([entity('A', 'u')]);
      expect((await graph.openNodes(['A'])).entities).toEqual([entity('A', 'u')]);
      await graph.deleteEntities([]);
      await graph.deleteEntities(['nobody']);
    });

    it('keeps awkward names, types and observations exactly, long ones too', async ({ graph }) => {
      const strings = NASTY_STRINGS.filter((s) => !s.includes('\u0000'));
      const names = strings.filter((s) => s !== '');
      // 256 four-byte characters: a key of 1 KiB; an observation far over PostgreSQL's index entry limit.
      const long = '😀'.repeat(256);
      const bigObservation = '漢'.repeat(60_000);
      const entities = [...names.map((n) => entity(n, n, strings)), entity(long, long, [bigObservation, ...strings])];
      expect(await graph.createEntities(entities)).toEqual(entities);
      await graph.createRelations([rel(long, long, long), ...names.map((n) => rel(n, long, n))]);
      const read = await graph.readGraph();
      expect(read.entities).toEqual(entities);
      expect(read.relations).toEqual([rel(long, long, long), ...names.map((n) => rel(n, long, n))]);
      expect(await graph.addObservations([{ entityName: long, contents: [bigObservation, `${bigObservation}!`] }])).toEqual([
        { entityName: long, addedObservations: [`${bigObservation}!`] },
      ]);
    });
  });

  describe('relations', () => {
    it('creates relations; answers only the new ones; their entities need not exist', async ({ graph }) => {
      expect(await graph.createRelations([rel('A', 'B'), rel('A', 'B', 'likes'), rel('A', 'B')])).toEqual([rel('A', 'B'), rel('A', 'B', 'likes')]);
      expect(await graph.createRelations([rel('A', 'B'), rel('B', 'A')])).toEqual([rel('B', 'A')]);
      expect(await graph.readGraph()).toEqual({ entities: [], relations: [rel('A', 'B'), rel('A', 'B', 'likes'), rel('B', 'A')] });
    });

    it('a relation is its three fields: no two relations are confused by how they would join', async ({ graph }) => {
      await graph.createRelations([rel('a', 'b c'), rel('a b', 'c'), rel('a', 'b', 'c'), rel('a"', 'b'), rel('a', '"b')]);
      expect((await graph.readGraph()).relations).toHaveLength(5);
    });

    it('deletes the relations given; missing ones are ignored', async ({ graph }) => {
      await graph.createRelations([rel('A', 'B'), rel('B', 'C'), rel('C', 'A')]);
      await graph.deleteRelations([rel('A', 'B'), rel('A', 'B'), rel('X', 'Y'), rel('B', 'C', 'other')]);
      expect((await graph.readGraph()).relations).toEqual([rel('B', 'C'), rel('C', 'A')]);
      await graph.deleteRelations([]);
    });
  });

  describe('observations', () => {
    it('adds the contents an entity lacks and answers them per entity, in the order given', async ({ graph }) => {
      await graph.createEntities([entity('A', 't', ['one']), entity('B', 't')]);
      expect(
        await graph.addObservations([
          { entityName: 'A', contents: ['one', 'two', 'two', 'three'] },
          { entityName: 'B', contents: [] },
          { entityName: 'A', contents: ['three', 'four'] },
        ]),
      ).toEqual([
        { entityName: 'A', addedObservations: ['two', 'three'] },
        { entityName: 'B', addedObservations: [] },
        { entityName: 'A', addedObservations: ['four'] },
      ]);
      expect((await graph.openNodes(['A'])).entities).toEqual([entity('A', 't', ['one', 'two', 'three', 'four'])]);
    });

    it('an entity that does not exist fails the whole call, with the reference message, and nothing is added', async ({ graph }) => {
      await graph.createEntities([entity('A', 't')]);
      const attempt = graph.addObservations([
        { entityName: 'A', contents: ['kept?'] },
        { entityName: 'Ghost', contents: ['boo'] },
      ]);
      await expect(attempt).rejects.toBeInstanceOf(EntityNotFoundError);
      await expect(attempt).rejects.toThrow('Entity with name Ghost not found');
      expect((await graph.readGraph()).entities).toEqual([entity('A', 't')]);
    });

    it('deletes the observations given; missing entities and observations are ignored', async ({ graph }) => {
      await graph.createEntities([entity('A', 't', ['1', '2', '3'])]);
      await graph.deleteObservations([
        { entityName: 'A', observations: ['2', 'nope'] },
        { entityName: 'Ghost', observations: ['1'] },
      ]);
      expect((await graph.readGraph()).entities).toEqual([entity('A', 't', ['1', '3'])]);
      // Re-adding a deleted observation puts it last.
      await graph.addObservations([{ entityName: 'A', contents: ['2'] }]);
      expect((await graph.readGraph()).entities).toEqual([entity('A', 't', ['1', '3', '2'])]);
    });

    it('8 concurrent writers adding observations to the same entities lose none', async ({ graph }) => {
      await graph.createEntities([entity('shared', 't'), entity('other', 't')]);
      const writers = 8;
      const perWriter = 25;
      const results = await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const added: string[] = [];
          for (let i = 0; i < perWriter; i++) {
            // Each also adds a content every writer adds (one of them gets it), in different orders.
            const contents = i % 2 === 0 ? [`w${w}-${i}`, `common-${i}`] : [`common-${i}`, `w${w}-${i}`];
            const [r] = await graph.addObservations([{ entityName: i % 3 === 0 ? 'other' : 'shared', contents }]);
            added.push(...r!.addedObservations);
          }
          return added;
        }),
      );
      const stored = (await graph.readGraph()).entities.flatMap((e) => e.observations);
      expect(stored).toHaveLength(writers * perWriter + perWriter);
      expect(new Set(stored).size).toBe(stored.length);
      expect(results.flat().sort()).toEqual([...stored].sort());
    });
  });

  describe('reading', () => {
    it('search_nodes matches a substring of the name, type or an observation, ignoring case; with the relations touching a match', async ({ graph }) => {
      await graph.createEntities([
        entity('Alice_Smith', 'Person', ['Works at ACME']),
        entity('Bob', 'person', ['likes Äpfel']),
        entity('ACME', 'Company'),
        entity('Zoë', 'pet', ['İstanbul trip']),
      ]);
      await graph.createRelations([rel('Alice_Smith', 'ACME', 'works_at'), rel('Bob', 'Zoë', 'owns'), rel('Carol', 'Bob')]);
      const names = async (query: string) => (await graph.searchNodes(query)).entities.map((e) => e.name);
      expect(await names('acme')).toEqual(['Alice_Smith', 'ACME']);
      expect(await names('PERSON')).toEqual(['Alice_Smith', 'Bob']);
      expect(await names('äpfel')).toEqual(['Bob']);
      expect(await names('ZOË')).toEqual(['Zoë']);
      // JavaScript's toLowerCase on both sides, as the reference: 'İ' folds to 'i̇'.
      expect(await names('i̇stanbul')).toEqual(['Zoë']);
      expect(await names('nobody')).toEqual([]);
      expect(await names('')).toEqual(['Alice_Smith', 'Bob', 'ACME', 'Zoë']);
      expect((await graph.searchNodes('bob')).relations).toEqual([rel('Bob', 'Zoë', 'owns'), rel('Carol', 'Bob')]);
      expect((await graph.searchNodes('nobody')).relations).toEqual([]);
    });

    it("search_nodes takes LIKE's wildcards and its escape character literally", async ({ graph }) => {
      await graph.createEntities([entity('100% sure'), entity('a_b'), entity('back\\slash'), entity('plain ab')]);
      const names = async (query: string) => (await graph.searchNodes(query)).entities.map((e) => e.name);
      expect(await names('%')).toEqual(['100% sure']);
      expect(await names('_')).toEqual(['a_b']);
      expect(await names('\\')).toEqual(['back\\slash']);
      expect(await names('a%b')).toEqual([]);
      expect(await names('\\%')).toEqual([]);
    });

    it('open_nodes returns the named entities that exist, with every relation from or to them', async ({ graph }) => {
      await graph.createEntities([entity('A', 't', ['a']), entity('B', 't'), entity('C', 't')]);
      await graph.createRelations([rel('A', 'B'), rel('B', 'C'), rel('C', 'A'), rel('X', 'Y')]);
      expect(await graph.openNodes(['A', 'Ghost'])).toEqual({ entities: [entity('A', 't', ['a'])], relations: [rel('A', 'B'), rel('C', 'A')] });
      expect(await graph.openNodes(['Ghost'])).toEqual({ entities: [], relations: [] });
      expect(await graph.openNodes([])).toEqual({ entities: [], relations: [] });
    });

    it('read_graph of an empty graph', async ({ graph }) => {
      expect(await graph.readGraph()).toEqual({ entities: [], relations: [] });
    });
  });
});

// --- the reference's behaviour, as a model, against both databases ----------------------------------

type Op =
  | { kind: 'createEntities'; entities: Entity[] }
  | { kind: 'createRelations'; relations: Relation[] }
  | { kind: 'addObservations'; additions: { entityName: string; contents: string[] }[] }
  | { kind: 'deleteEntities'; names: string[] }
  | { kind: 'deleteObservations'; deletions: { entityName: string; observations: string[] }[] }
  | { kind: 'deleteRelations'; relations: Relation[] };

// Small domains, so that operations collide: names differing only in case, LIKE's wildcards.
const nameArb = fc.constantFrom('A', 'a', 'B', 'b_c', '100%', 'Ä', 'ä');
const textArb = fc.constantFrom('x', 'X', 'y', '%', '_', 'a_c', 'Äpfel', 'äPFEL', '\\', '');
const entityArb = fc.record({ name: nameArb, entityType: textArb.filter((t) => t !== ''), observations: fc.array(textArb, { maxLength: 3 }) });
const relationArb = fc.record({ from: nameArb, to: nameArb, relationType: fc.constantFrom('r', 'R', 's') });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('createEntities' as const), entities: fc.array(entityArb, { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('createRelations' as const), relations: fc.array(relationArb, { maxLength: 3 }) }),
  fc.record({
    kind: fc.constant('addObservations' as const),
    additions: fc.array(fc.record({ entityName: nameArb, contents: fc.array(textArb, { maxLength: 3 }) }), { maxLength: 2 }),
  }),
  fc.record({ kind: fc.constant('deleteEntities' as const), names: fc.array(nameArb, { maxLength: 2 }) }),
  fc.record({
    kind: fc.constant('deleteObservations' as const),
    deletions: fc.array(fc.record({ entityName: nameArb, observations: fc.array(textArb, { maxLength: 2 }) }), { maxLength: 2 }),
  }),
  fc.record({ kind: fc.constant('deleteRelations' as const), relations: fc.array(relationArb, { maxLength: 2 }) }),
);

async function apply(target: GraphService | GraphModel, op: Op): Promise<unknown> {
  try {
    switch (op.kind) {
      case 'createEntities':
        return await target.createEntities(op.entities);
      case 'createRelations':
        return await target.createRelations(op.relations);
      case 'addObservations':
        return await target.addObservations(op.additions);
      case 'deleteEntities':
        return await target.deleteEntities(op.names);
      case 'deleteObservations':
        return await target.deleteObservations(op.deletions);
      case 'deleteRelations':
        return await target.deleteRelations(op.relations);
    }
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('knowledge graph against the reference model, on each database', () => {
  const opened: { db: OpenDatabase; graph: GraphService }[] = [];
  beforeAll(async () => {
    for (const database of databases) {
      const db = await database.open();
      opened.push({ db, graph: new GraphService(new SqlGraphStore(db.backend.runner), new ManualClock()) });
    }
  });
  afterAll(async () => {
    for (const { db } of opened) await db.cleanup();
  });

  const clear = async (graph: GraphService) => {
    const all: KnowledgeGraph = await graph.readGraph();
    await graph.deleteEntities(all.entities.map((e) => e.name));
    await graph.deleteRelations(all.relations);
  };

  plainIt('any sequence of operations answers and ends as the model does; searches and opens agree', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), fc.array(textArb, { minLength: 1, maxLength: 3 }), fc.array(nameArb, { maxLength: 3 }), async (ops, queries, names) => {
        for (const { graph } of opened) {
          await clear(graph);
          const model = new GraphModel();
          for (const op of ops) expect(await apply(graph, op)).toEqual(await apply(model, op));
          expect(await graph.readGraph()).toEqual(model.readGraph());
          for (const query of queries) expect(await graph.searchNodes(query)).toEqual(model.searchNodes(query));
          expect(await graph.openNodes(names)).toEqual(model.openNodes(names));
        }
      }),
      { numRuns: 60 },
    );
  });
});
