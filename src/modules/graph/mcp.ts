import { z } from 'zod';
import { defineTool, type McpTool } from '../../mcp/tool.js';
import { entityRecord, graphInputs, relationRecord } from './model.js';

/*
 * The knowledge graph's MCP tools: those of @modelcontextprotocol/server-memory, same names,
 * arguments, descriptions, annotations and answers (text and structuredContent), over the tenant's
 * durable graph (`storage.graph`) instead of a file.
 */

const WRITE = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
const DELETE = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };
const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

const graphOutput = { entities: z.array(entityRecord), relations: z.array(relationRecord) };
const deleteOutput = { success: z.boolean(), message: z.string() };
const deleted = (message: string) => ({ structured: { success: true, message }, text: message });

export const graphTools: McpTool[] = [
  defineTool({
    name: 'create_entities',
    title: 'Create Entities',
    description: 'Create multiple new entities in the knowledge graph',
    inputSchema: graphInputs.createEntities,
    outputSchema: { entities: z.array(entityRecord) },
    annotations: WRITE,
    scope: 'write',
    run: async ({ storage }, { entities }) => {
      const created = await storage.graph.createEntities(entities);
      return { structured: { entities: created }, text: JSON.stringify(created, null, 2) };
    },
  }),
  defineTool({
    name: 'create_relations',
    title: 'Create Relations',
    description: 'Create multiple new relations between entities in the knowledge graph. Relations should be in active voice',
    inputSchema: graphInputs.createRelations,
    outputSchema: { relations: z.array(relationRecord) },
    annotations: WRITE,
    scope: 'write',
    run: async ({ storage }, { relations }) => {
      const created = await storage.graph.createRelations(relations);
      return { structured: { relations: created }, text: JSON.stringify(created, null, 2) };
    },
  }),
  defineTool({
    name: 'add_observations',
    title: 'Add Observations',
    description: 'Add new observations to existing entities in the knowledge graph',
    inputSchema: graphInputs.addObservations,
    outputSchema: { results: z.array(z.object({ entityName: z.string(), addedObservations: z.array(z.string()) })) },
    annotations: WRITE,
    scope: 'write',
    run: async ({ storage }, { observations }) => {
      const results = await storage.graph.addObservations(observations);
      return { structured: { results }, text: JSON.stringify(results, null, 2) };
    },
  }),
  defineTool({
    name: 'delete_entities',
    title: 'Delete Entities',
    description: 'Delete multiple entities and their associated relations from the knowledge graph',
    inputSchema: graphInputs.deleteEntities,
    outputSchema: deleteOutput,
    annotations: DELETE,
    scope: 'write',
    run: async ({ storage }, { entityNames }) => {
      await storage.graph.deleteEntities(entityNames);
      return deleted('Entities deleted successfully');
    },
  }),
  defineTool({
    name: 'delete_observations',
    title: 'Delete Observations',
    description: 'Delete specific observations from entities in the knowledge graph',
    inputSchema: graphInputs.deleteObservations,
    outputSchema: deleteOutput,
    annotations: DELETE,
    scope: 'write',
    run: async ({ storage }, { deletions }) => {
      await storage.graph.deleteObservations(deletions);
      return deleted('Observations deleted successfully');
    },
  }),
  defineTool({
    name: 'delete_relations',
    title: 'Delete Relations',
    description: 'Delete multiple relations from the knowledge graph',
    inputSchema: graphInputs.deleteRelations,
    outputSchema: deleteOutput,
    annotations: DELETE,
    scope: 'write',
    run: async ({ storage }, { relations }) => {
      await storage.graph.deleteRelations(relations);
      return deleted('Relations deleted successfully');
    },
  }),
  defineTool({
    name: 'read_graph',
    title: 'Read Graph',
    description: 'Read the entire knowledge graph',
    inputSchema: graphInputs.readGraph,
    outputSchema: graphOutput,
    annotations: READ,
    scope: 'read',
    run: async ({ storage }) => ({ structured: { ...(await storage.graph.readGraph()) } }),
  }),
  defineTool({
    name: 'search_nodes',
    title: 'Search Nodes',
    description: 'Search for nodes in the knowledge graph based on a query',
    inputSchema: graphInputs.searchNodes,
    outputSchema: graphOutput,
    annotations: READ,
    scope: 'read',
    run: async ({ storage }, { query }) => ({ structured: { ...(await storage.graph.searchNodes(query)) } }),
  }),
  defineTool({
    name: 'open_nodes',
    title: 'Open Nodes',
    description: 'Open specific nodes in the knowledge graph by their names',
    inputSchema: graphInputs.openNodes,
    outputSchema: graphOutput,
    annotations: READ,
    scope: 'read',
    run: async ({ storage }, { names }) => ({ structured: { ...(await storage.graph.openNodes(names)) } }),
  }),
];
