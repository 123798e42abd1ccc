import { z } from 'zod';
import { identifier, LIMITS } from '../../domain/inputs.js';
import { isWellFormedText } from '../../domain/json.js';

/**
 * The knowledge graph of `@modelcontextprotocol/server-memory` (its `src/memory/index.ts`), as
 * records and as the inputs the doors validate: entities with a type and observations (text), and
 * typed relations between entity names. The names and shapes are the reference server's, so that a
 * client written for it works unchanged.
 */

export const GRAPH_LIMITS = {
  /** Entities, relations, observation groups or names in one call (each call is one transaction). */
  batch: LIMITS.batch,
  /** Observations given for one entity in one call. */
  observations: LIMITS.batch,
  /** Characters of an observation. */
  observation: 65_536,
  /** Characters of a search_nodes query. */
  query: 1024,
} as const;

/** Names and types are keys: at most 256 characters, no NUL (what every other name of the service takes). */
export const entityName = identifier(LIMITS.shortText);
export const entityType = identifier(LIMITS.shortText);
export const relationType = identifier(LIMITS.shortText);

/** Free text, empty allowed as in the reference; no NUL (PostgreSQL text cannot hold it) and no lone surrogates. */
const freeText = (max: number) =>
  z
    .string()
    .max(max)
    .refine(isWellFormedText, { message: 'must be valid Unicode text (no lone surrogates)' })
    .refine((v) => !v.includes('\u0000'), { message: 'must not contain NUL characters' });

export const observationText = freeText(GRAPH_LIMITS.observation);
export const searchQuery = freeText(GRAPH_LIMITS.query);

const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max);

export const entityRecord = z.object({
  name: entityName.describe('The name of the entity'),
  entityType: entityType.describe('The type of the entity'),
  observations: list(observationText, GRAPH_LIMITS.observations).describe('An array of observation contents associated with the entity'),
});
export type Entity = z.output<typeof entityRecord>;

export const relationRecord = z.object({
  from: entityName.describe('The name of the entity where the relation starts'),
  to: entityName.describe('The name of the entity where the relation ends'),
  relationType: relationType.describe('The type of the relation'),
});
export type Relation = z.output<typeof relationRecord>;

export interface KnowledgeGraph {
  entities: Entity[];
  relations: Relation[];
}

export const observationAddition = z.object({
  entityName: entityName.describe('The name of the entity to add the observations to'),
  contents: list(observationText, GRAPH_LIMITS.observations).describe('An array of observation contents to add'),
});
export type ObservationAddition = z.output<typeof observationAddition>;

export const observationDeletion = z.object({
  entityName: entityName.describe('The name of the entity containing the observations'),
  observations: list(observationText, GRAPH_LIMITS.observations).describe('An array of observations to delete'),
});
export type ObservationDeletion = z.output<typeof observationDeletion>;

/** What `add_observations` answers per entity: the contents that were not there yet. */
export interface ObservationsAdded {
  entityName: string;
  addedObservations: string[];
}

/** The tools' arguments, as the reference server's input shapes (each a property of the arguments object). */
export const graphInputs = {
  createEntities: { entities: list(entityRecord, GRAPH_LIMITS.batch) },
  createRelations: { relations: list(relationRecord, GRAPH_LIMITS.batch) },
  addObservations: { observations: list(observationAddition, GRAPH_LIMITS.batch) },
  deleteEntities: { entityNames: list(entityName, GRAPH_LIMITS.batch).describe('An array of entity names to delete') },
  deleteObservations: { deletions: list(observationDeletion, GRAPH_LIMITS.batch) },
  deleteRelations: { relations: list(relationRecord, GRAPH_LIMITS.batch).describe('An array of relations to delete') },
  readGraph: {},
  searchNodes: { query: searchQuery.describe('The search query to match against entity names, types, and observation content') },
  openNodes: { names: list(entityName, GRAPH_LIMITS.batch).describe('An array of entity names to retrieve') },
} as const;
