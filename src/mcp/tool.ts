import type { Logger } from 'pino';
import { z } from 'zod';
import { requireScope, type Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import { DomainError } from '../domain/errors.js';
import { parseInput } from '../domain/inputs.js';
import { type Json, jsonObject, type JsonObject, jsonValue } from '../domain/json.js';
import type { ApiKeyScope } from '../domain/records.js';
import type { Storage } from '../storage/storage.js';

/**
 * The MCP door's tools and resources, described once per module (`modules/<name>/mcp.ts`) in the
 * shape of the SDK's `McpServer.registerTool` / `registerResource` (a zod shape of the arguments, a
 * title, a description, annotations), plus what the door needs beside it: the scope the caller's key
 * must have. A tool parses nothing and decides nothing itself: it calls one service operation and
 * shapes its answer, like every other door.
 */

/** What a tool works on: the caller's tenant and rights, and the configuration (page sizes). */
export interface ToolContext {
  principal: Principal;
  storage: Storage;
  config: Config;
}

/** The MCP tool annotations (hints to the client; the scope is what is enforced). */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** A tool's answer: `structured` is its `structuredContent`, `text` its text content (the JSON of the answer, unless the tool says otherwise). */
export interface ToolOutput {
  structured: Record<string, unknown>;
  text?: string;
}

export interface McpTool<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  /** The arguments, as `registerTool` takes them: each property's zod schema (turned into the JSON Schema clients see). */
  inputSchema: S;
  /** The shape of `structuredContent`, when the tool declares one (the reference memory server's tools do). */
  outputSchema?: z.ZodRawShape;
  annotations: ToolAnnotations;
  /** What the caller's key must have: `read` for tools that only read, `write` for the others. */
  scope: ApiKeyScope;
  run(context: ToolContext, args: z.output<z.ZodObject<S>>): Promise<ToolOutput>;
}

/** Declares a tool (typing its `run` by its arguments). */
export function defineTool<S extends z.ZodRawShape>(tool: McpTool<S>): McpTool<S> {
  return tool;
}

/** A tool's result on the MCP wire (`CallToolResult`). */
export interface ToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/**
 * Runs a tool for a caller: the scope first, then the tool's arguments parsed with its schema (the
 * SDK validates them too; parsing here keeps the domain's issues and a direct call honest), then its
 * operation. Expected failures (a missing scope, bad input, not found, a conflict) are a result with
 * `isError: true` and the domain error's message, which the model can act on; anything else is
 * logged and answered without details.
 */
export async function runTool(tool: McpTool, context: ToolContext, args: unknown, logger: Logger): Promise<ToolResult> {
  try {
    requireScope(context.principal, tool.scope);
    const parsed = parseInput(z.object(tool.inputSchema), args ?? {});
    const { structured, text } = await tool.run(context, parsed);
    return { content: [{ type: 'text', text: text ?? JSON.stringify(structured, null, 2) }], structuredContent: structured };
  } catch (error) {
    if (error instanceof DomainError) return { content: [{ type: 'text', text: error.message }], isError: true };
    logger.error({ err: error, tool: tool.name }, 'unexpected error in MCP tool');
    return { content: [{ type: 'text', text: 'Internal error' }], isError: true };
  }
}

/** A resource template (`session://{id}`): what `registerResource` takes, with a list and a read over the caller's storage. */
export interface McpResourceTemplate {
  name: string;
  uriTemplate: string;
  title: string;
  description: string;
  mimeType: string;
  /** What a read of a resource of this kind needs. */
  scope: ApiKeyScope;
  list(context: ToolContext): Promise<{ uri: string; name: string; title?: string; mimeType: string }[]>;
  read(context: ToolContext, variables: Record<string, string>): Promise<{ uri: string; mimeType: string; text: string }>;
}

/*
 * JSON arguments. The domain's `jsonValue`/`jsonObject` are zod custom types, which have no JSON
 * Schema (the SDK lists a tool's arguments as JSON Schema, and `z.toJSONSchema` refuses them): here
 * they are an unknown value / a record, checked by the domain's schema in a refinement.
 */
const checkedBy = (schema: z.ZodType) => (value: unknown, ctx: z.RefinementCtx) => {
  const result = schema.safeParse(value);
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
};

// Typed as what the refinement proves (the casts change no behaviour).
export const anyJson = z.unknown().superRefine(checkedBy(jsonValue)) as unknown as z.ZodType<Json>;
export const jsonObjectArg = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }).superRefine(checkedBy(jsonObject)) as unknown as z.ZodType<JsonObject>;
