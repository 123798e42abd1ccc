import type { Entity, KnowledgeGraph, ObservationsAdded, Relation } from '../../../src/modules/graph/service.js';

/**
 * @modelcontextprotocol/server-memory's KnowledgeGraphManager (src/memory/index.ts), in memory, as
 * the model the SQL store is checked against. Where the reference has no rule worth copying, the
 * model says what the service does instead (marked "ours"):
 * - a name given twice in one create_entities call is created once (the first); the reference
 *   would store both;
 * - an observation given twice is kept once (the reference checks only against those already stored).
 */
export class GraphModel {
  private graph: KnowledgeGraph = { entities: [], relations: [] };

  async createEntities(entities: Entity[]): Promise<Entity[]> {
    const added: Entity[] = [];
    for (const e of entities) {
      if (this.graph.entities.some((existing) => existing.name === e.name)) continue;
      const entity = { name: e.name, entityType: e.entityType, observations: [...new Set(e.observations)] }; // ours: each once
      this.graph.entities.push(entity); // ours: pushed one by one, so a later duplicate is skipped
      added.push({ ...entity, observations: [...entity.observations] });
    }
    return added;
  }

  async createRelations(relations: Relation[]): Promise<Relation[]> {
    const added: Relation[] = [];
    for (const r of relations) {
      if (this.graph.relations.some((x) => x.from === r.from && x.to === r.to && x.relationType === r.relationType)) continue;
      this.graph.relations.push({ ...r });
      added.push({ ...r });
    }
    return added;
  }

  async addObservations(observations: { entityName: string; contents: string[] }[]): Promise<ObservationsAdded[]> {
    // As the reference: a missing entity throws before anything is saved.
    const next = structuredClone(this.graph);
    const results = observations.map((o) => {
      const entity = next.entities.find((e) => e.name === o.entityName);
      if (!entity) throw new Error(`Entity with name ${o.entityName} not found`);
      const added: string[] = [];
      for (const content of o.contents) {
        if (entity.observations.includes(content)) continue;
        entity.observations.push(content); // ours: a repeat within the call is skipped too
        added.push(content);
      }
      return { entityName: o.entityName, addedObservations: added };
    });
    this.graph = next;
    return results;
  }

  async deleteEntities(entityNames: string[]): Promise<void> {
    this.graph.entities = this.graph.entities.filter((e) => !entityNames.includes(e.name));
    this.graph.relations = this.graph.relations.filter((r) => !entityNames.includes(r.from) && !entityNames.includes(r.to));
  }

  async deleteObservations(deletions: { entityName: string; observations: string[] }[]): Promise<void> {
    for (const d of deletions) {
      const entity = this.graph.entities.find((e) => e.name === d.entityName);
      if (entity) entity.observations = entity.observations.filter((o) => !d.observations.includes(o));
    }
  }

  async deleteRelations(relations: Relation[]): Promise<void> {
    this.graph.relations = this.graph.relations.filter(
      (r) => !relations.some((d) => r.from === d.from && r.to === d.to && r.relationType === d.relationType),
    );
  }

  readGraph(): KnowledgeGraph {
    return structuredClone(this.graph);
  }

  searchNodes(query: string): KnowledgeGraph {
    const q = query.toLowerCase();
    const entities = this.graph.entities.filter(
      (e) => e.name.toLowerCase().includes(q) || e.entityType.toLowerCase().includes(q) || e.observations.some((o) => o.toLowerCase().includes(q)),
    );
    return this.withRelations(entities);
  }

  openNodes(names: string[]): KnowledgeGraph {
    return this.withRelations(this.graph.entities.filter((e) => names.includes(e.name)));
  }

  private withRelations(entities: Entity[]): KnowledgeGraph {
    const names = new Set(entities.map((e) => e.name));
    return structuredClone({ entities, relations: this.graph.relations.filter((r) => names.has(r.from) || names.has(r.to)) });
  }
}
