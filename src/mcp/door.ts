import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { CallToolRequestSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { Response } from '@whatwg-node/fetch';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { requireScope } from '../auth/principal.js';
import type { Config } from '../config.js';
import { DomainError, NotFoundError, PayloadTooLargeError, ValidationError } from '../domain/errors.js';
import { readBody } from '../http/body-limit.js';
import { requestLogger } from '../http/request-context.js';
import { isUtf8 } from '../http/utf8.js';
import { callerOf } from '../http/auth.js';
import { json } from '../rest/http.js';
import { SERVICE } from '../version.js';
import { type McpResourceTemplate, type McpTool, runTool, type ToolContext } from './tool.js';
import { mcpResources, mcpTools } from './tools.js';

/**
 * The MCP door: `POST /mcp`, the protocol's Streamable HTTP transport (the SDK's web-standard one,
 * which takes a fetch `Request` and answers a `Response`, as Yoga's plugins do).
 *
 * Stateless: every request gets its own `McpServer` and transport (`sessionIdGenerator:
 * undefined`) and answers JSON, so no MCP session lives in a process and any replica answers any
 * request. Nothing the tools do needs more: each answers within its request, and the server never
 * speaks first (no notifications, no standalone GET stream).
 *
 * Authentication, tenant and rate limit are the edge's (http/auth.ts), before this plugin runs:
 * a request without a valid key never gets here and is refused as REST refuses it. Here the caller
 * is the context of every tool and resource; each checks its own scope.
 */

/** The methods the stateless transport serves: GET would open a stream nothing writes to, DELETE ends a session there is none of. */
const ALLOW = 'POST';

/** JSON-RPC's "server error" code, which the SDK's transport gives its own HTTP-level refusals (405, 413). */
const SERVER_ERROR = -32000;

/** A JSON-RPC error that answers no request in particular (the body could not be read, or the method is wrong). */
function rpcError(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return json(status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
}

/**
 * The body, parsed as JSON, at most MAX_BODY_BYTES (counted by http/body-limit.ts, as for the other
 * doors; the transport then reads nothing itself), or the JSON-RPC refusal to answer.
 */
async function readMessage(request: Request, maxBytes: number): Promise<{ message: unknown } | { refusal: Response }> {
  let bytes: Buffer;
  try {
    bytes = await readBody(request, maxBytes);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) return { refusal: rpcError(413, SERVER_ERROR, error.message) };
    // The connection broke before the body's end: the client went away (as rest/http.ts answers it).
    return { refusal: rpcError(400, ErrorCode.ParseError, 'The request body ended before it was complete (the connection was closed)') };
  }
  if (!isUtf8(bytes)) return { refusal: rpcError(400, ErrorCode.ParseError, 'Parse error: the body is not valid UTF-8') };
  try {
    return { message: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { refusal: rpcError(400, ErrorCode.ParseError, 'Parse error: Invalid JSON') };
  }
}

/**
 * A resource's failure as a JSON-RPC error (tools answer theirs as `isError` results instead, in
 * runTool): not found is the protocol's resource-not-found code, bad input invalid params, any
 * other expected failure a server error whose `data.code` is the domain's code (as GraphQL's
 * `extensions.code`). Anything else is logged and said no more of.
 */
function resourceError(error: unknown, logger: Logger, uri: string): McpError {
  if (error instanceof McpError) return error;
  if (error instanceof NotFoundError) return new McpError(-32002, error.message, { code: error.code, uri });
  if (error instanceof ValidationError) return new McpError(ErrorCode.InvalidParams, error.message, { code: error.code });
  if (error instanceof DomainError) return new McpError(SERVER_ERROR, error.message, { code: error.code });
  logger.error({ err: error, uri }, 'unexpected error in MCP resource');
  return new McpError(ErrorCode.InternalError, 'Internal error');
}

/** A template's variables as strings (a URI template may give a list; `session://{id}` gives one value). */
function plainVariables(variables: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, Array.isArray(value) ? (value[0] ?? '') : value]));
}

/**
 * The tools: registered with the SDK for `tools/list` (their JSON Schema, annotations, output
 * schema), and called through runTool, which checks the caller's scope first, parses the arguments
 * with the tool's schema and answers the domain's errors as `isError` results. `tools/call` is
 * answered here rather than by McpServer's own handler, which would parse the arguments before the
 * scope is checked (a read-only key would learn about its arguments before learning it may not
 * write) and word their issues its own way (`must not be empty at entities[0].name`, where every
 * door of this service says `entities.0.name: must not be empty`).
 */
function registerTools(server: McpServer, context: ToolContext, logger: Logger): void {
  const byName = new Map<string, McpTool>();
  for (const tool of mcpTools) {
    byName.set(tool.name, tool);
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema, annotations: tool.annotations },
      // Never called: tools/call is answered below.
      (args: unknown) => runTool(tool, context, args, logger),
    );
  }
  // The SDK's documented way to take over a request (McpServer.server.setRequestHandler): it replaces McpServer's handler.
  server.server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = byName.get(request.params.name);
    // The protocol's answer to an unknown tool: a JSON-RPC error, not a tool result.
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    return runTool(tool, context, request.params.arguments, logger);
  });
}

function registerResource(server: McpServer, resource: McpResourceTemplate, context: ToolContext, logger: Logger): void {
  const template = new ResourceTemplate(resource.uriTemplate, {
    list: async () => {
      try {
        requireScope(context.principal, resource.scope);
        return { resources: await resource.list(context) };
      } catch (error) {
        throw resourceError(error, logger, resource.uriTemplate);
      }
    },
  });
  server.registerResource(
    resource.name,
    template,
    { title: resource.title, description: resource.description, mimeType: resource.mimeType },
    async (uri, variables) => {
      try {
        requireScope(context.principal, resource.scope);
        return { contents: [await resource.read(context, plainVariables(variables))] };
      } catch (error) {
        throw resourceError(error, logger, uri.href);
      }
    },
  );
}

/** An MCP server for one caller: every tool and resource, working on the caller's tenant with the caller's rights. */
export function mcpServerFor(context: ToolContext, logger: Logger): McpServer {
  const server = new McpServer({ name: SERVICE.name, version: SERVICE.version }, { capabilities: { tools: {}, resources: {} } });
  registerTools(server, context, logger);
  for (const resource of mcpResources) registerResource(server, resource, context, logger);
  return server;
}

export interface McpDoorDeps {
  config: Config;
  logger: Logger;
}

/** Serves `/mcp` (after the edge's authentication; before the REST router, which answers every other path). */
export function mcpPlugin({ config, logger }: McpDoorDeps): Plugin {
  async function handle(request: Request): Promise<Response> {
    if (request.method !== 'POST') return rpcError(405, SERVER_ERROR, 'Method not allowed: this server is stateless and answers POST only', { allow: ALLOW });
    const log = requestLogger(logger);
    const body = await readMessage(request, config.maxBodyBytes);
    if ('refusal' in body) return body.refusal;
    const { principal, storage } = callerOf(request);
    const server = mcpServerFor({ principal, storage, config }, log);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    try {
      await server.connect(transport);
      const answer = await transport.handleRequest(request, { parsedBody: body.message });
      // Rewritten with Yoga's own Response class (the JSON answer is complete once handleRequest
      // resolves): Yoga writes its body straight to the socket instead of pumping a web stream.
      return new Response(answer.body ? await answer.text() : null, { status: answer.status, headers: answer.headers });
    } finally {
      await server.close();
    }
  }

  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/mcp') return;
      return handle(request).then(endResponse, (error: unknown) => {
        requestLogger(logger).error({ err: error }, 'unexpected error in the MCP door');
        endResponse(rpcError(500, ErrorCode.InternalError, 'Internal error'));
      });
    },
  };
}
