import { type Clock, isoTime } from '../../domain/clock.js';
import type { Entity, KnowledgeGraph, ObservationAddition, ObservationDeletion, ObservationsAdded, Relation } from './model.js';
import type { GraphStore } from './store.js';

export * from './model.js';
export { EntityNotFoundError } from './store.js';

/**
 * The knowledge graph's operations, over one tenant's store: the memory tools of
 * `@modelcontextprotocol/server-memory`, with its behaviour —
 *
 * - creating an entity whose name is taken, or a relation that exists, does nothing (the answer
 *   lists only what was added); a name given twice in one call: the first wins;
 * - adding observations to an entity that does not exist fails the whole call; contents the entity
 *   already has are skipped;
 * - deleting what is not there does nothing; deleting an entity deletes its observations and every
 *   relation from or to it;
 * - a relation may name entities that do not exist;
 * - `searchNodes` matches a substring of an entity's name, type or any observation, ignoring case
 *   (JavaScript's `toLowerCase` on both sides), and `openNodes` the names given; both add every
 *   relation from or to a matched entity.
 *
 * Unlike the reference (one file rewritten whole on every write), each write is one transaction over
 * rows with unique keys: concurrent clients never lose each other's writes.
 */
export class GraphService {
  constructor(
    readonly store: GraphStore,
    private readonly clock: Clock,
  ) {}

  createEntities(entities: readonly Entity[]): Promise<Entity[]> {
    return this.store.createEntities(entities, isoTime(this.clock.now()));
  }

  createRelations(relations: readonly Relation[]): Promise<Relation[]> {
    return this.store.createRelations(relations, isoTime(this.clock.now()));
  }

  addObservations(additions: readonly ObservationAddition[]): Promise<ObservationsAdded[]> {
    return this.store.addObservations(additions, isoTime(this.clock.now()));
  }

  deleteEntities(names: readonly string[]): Promise<void> {
    return this.store.deleteEntities(names);
  }

  deleteObservations(deletions: readonly ObservationDeletion[]): Promise<void> {
    return this.store.deleteObservations(deletions);
  }

  deleteRelations(relations: readonly Relation[]): Promise<void> {
    return this.store.deleteRelations(relations);
  }

  readGraph(): Promise<KnowledgeGraph> {
    return this.store.read({ kind: 'all' });
  }

  searchNodes(query: string): Promise<KnowledgeGraph> {
    return this.store.read({ kind: 'search', query });
  }

  openNodes(names: readonly string[]): Promise<KnowledgeGraph> {
    return this.store.read({ kind: 'names', names });
  }
}
