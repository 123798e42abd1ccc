import type {
  ArtifactVersion,
  BaseArtifactService,
  DeleteArtifactRequest,
  ListArtifactKeysRequest,
  ListVersionsRequest,
  LoadArtifactRequest,
  SaveArtifactRequest,
} from '@google/adk';
import type { ArtifactContent } from '../../client/artifacts.js';
import { AgentStorageClient, type AgentStorageClientOptions } from '../../client/client.js';
import { AgentStorageError } from '../../client/errors.js';
import type { Artifact } from '../../client/resources.js';
import { isStorable, type Part, readPart, storedPart, versionFacts } from './artifact-parts.js';
import { createHolder, findSession, listHolders, PAGE, userScope } from './stored-sessions.js';

/**
 * Google ADK's artifact service (`BaseArtifactService` of `@google/adk`) on the agent-storage
 * service (docs/adk.md, "Artifacts"), to the semantics of ADK's InMemoryArtifactService:
 *
 * - an ADK artifact (app, user, session, filename) is the service artifact named `filename` in
 *   the ADK session's service session (the most recently created one of that name: where the
 *   service's save-by-name adds versions); a `user:` filename is an artifact of the (app, user)'s
 *   holder session (`adk-user:<appName>`, the one AgentStorageSessionService keeps `user:` state
 *   in), so every session of the user sees it and no other user does;
 * - an ADK version is a content version of it: numbered by the service, 0 first, in save order,
 *   so concurrent saves from any number of tasks or processes each get their own;
 * - the Part is stored as bytes and a content type (artifact-parts.ts).
 */

export type AgentStorageArtifactServiceOptions = AgentStorageClientOptions;

/** A service over a client of your own (its URL, key, fetch and retry policy). */
export interface AgentStorageArtifactServiceClientOptions {
  client: AgentStorageClient;
}

type Key = Pick<SaveArtifactRequest, 'appName' | 'userId' | 'sessionId'>;

const USER_NAMESPACE = 'user:';
const isUserScoped = (filename: string) => filename.startsWith(USER_NAMESPACE);

const isNotFound = (error: unknown): error is AgentStorageError => error instanceof AgentStorageError && error.code === 'NOT_FOUND';
const orUndefinedWhenMissing = (error: unknown): undefined => {
  if (isNotFound(error)) return undefined;
  throw error;
};

/**
 * Where a version can be read: the content URL below the service's base URL. Relative on purpose:
 * ADK's Runner forwards an `http(s):` canonical URI to the model as a file to fetch, and a model
 * cannot read a service that asks for a key.
 */
const canonicalUri = (content: ArtifactContent) => `/storage/artifacts/${encodeURIComponent(content.artifactId)}/content?version=${content.version}`;

function versionOf(content: ArtifactContent): ArtifactVersion {
  const { mimeType, customMetadata } = versionFacts(content.contentType);
  return { version: content.version, canonicalUri: canonicalUri(content), ...(mimeType !== undefined && { mimeType }), customMetadata };
}

export class AgentStorageArtifactService implements BaseArtifactService {
  /** The typed client this service talks through. */
  readonly client: AgentStorageClient;
  /** ADK session keys → service session ids. Ids are never reused: a deleted session answers NOT_FOUND, and is looked up again. */
  private readonly sessions = new Map<string, string>();

  constructor(options: AgentStorageArtifactServiceOptions | AgentStorageArtifactServiceClientOptions) {
    this.client = 'client' in options ? options.client : new AgentStorageClient(options);
  }

  /**
   * Stores a new version and returns its number: 0 for the first, then one more than the newest
   * ever saved (deleting the whole artifact starts it again from 0, as in ADK). Rejects a Part
   * without inline data, text or a file reference, as ADK's services do; and a session-scoped
   * filename of a session the service does not hold.
   */
  async saveArtifact({ appName, userId, sessionId, filename, artifact, customMetadata }: SaveArtifactRequest): Promise<number> {
    if (!isStorable(artifact)) throw new Error('Artifact must have either inlineData or text content.');
    const { bytes, contentType, mimeType } = storedPart(artifact, customMetadata);
    const key = { appName, userId, sessionId };
    for (let attempt = 1; ; attempt++) {
      const target = await this.saveTarget(key, filename);
      try {
        const { content } = await this.client.artifacts.saveContent({ sessionId: target, name: filename, data: bytes, contentType, type: mimeType });
        return content.version;
      } catch (error) {
        // The session was deleted since it was looked up (a cached id): look again, once.
        if (!isNotFound(error) || attempt > 1) throw error;
        this.sessions.delete(sessionKey(key));
      }
    }
  }

  /** The version (the latest by default) as the Part saved; undefined when there is no such artifact or version. */
  async loadArtifact({ appName, userId, sessionId, filename, version }: LoadArtifactRequest): Promise<Part | undefined> {
    if (version !== undefined && !(Number.isInteger(version) && version >= 0)) return undefined;
    const artifact = await this.find({ appName, userId, sessionId }, filename);
    if (!artifact) return undefined;
    const loaded = await this.client.artifacts.loadContent(artifact.id, { version });
    return loaded ? readPart(loaded.bytes, loaded.content.contentType).part : undefined;
  }

  /** The filenames of the session's artifacts and of the user's (`user:…`), sorted, each once. */
  async listArtifactKeys({ appName, userId, sessionId }: ListArtifactKeysRequest): Promise<string[]> {
    const [own, users] = await Promise.all([this.sessionArtifacts({ appName, userId, sessionId }), this.userArtifacts(appName, userId)]);
    const names = new Set<string>();
    for (const artifact of own) if (!isUserScoped(artifact.name)) names.add(artifact.name);
    for (const { artifacts } of users) for (const artifact of artifacts) if (isUserScoped(artifact.name)) names.add(artifact.name);
    return [...names].sort();
  }

  /** Deletes the artifact with every version (nothing when there is none). */
  async deleteArtifact({ appName, userId, sessionId, filename }: DeleteArtifactRequest): Promise<void> {
    const key = { appName, userId, sessionId };
    const candidates = isUserScoped(filename) ? (await this.userArtifacts(appName, userId)).flatMap((holder) => holder.artifacts) : await this.sessionArtifacts(key);
    // Every artifact of that name: an older one must not surface once the newest is gone.
    await Promise.all(candidates.filter((a) => a.name === filename).map((a) => this.client.artifacts.delete(a.id).catch(orUndefinedWhenMissing)));
  }

  /** The version numbers stored, ascending ([] when none). */
  async listVersions(request: ListVersionsRequest): Promise<number[]> {
    return (await this.contents(request)).map((content) => content.version);
  }

  /** What ADK's ArtifactVersion says of each stored version, ascending. */
  async listArtifactVersions(request: ListVersionsRequest): Promise<ArtifactVersion[]> {
    return (await this.contents(request)).map(versionOf);
  }

  /** One version's ArtifactVersion (the latest by default); undefined when there is none. */
  async getArtifactVersion({ version, ...request }: LoadArtifactRequest): Promise<ArtifactVersion | undefined> {
    const contents = await this.contents(request);
    const content = version === undefined ? contents.at(-1) : contents.find((c) => c.version === version);
    return content && versionOf(content);
  }

  private async contents({ appName, userId, sessionId, filename }: ListVersionsRequest): Promise<ArtifactContent[]> {
    const artifact = await this.find({ appName, userId, sessionId }, filename);
    if (!artifact) return [];
    return (await this.client.artifacts.contentVersions(artifact.id).catch(orUndefinedWhenMissing)) ?? [];
  }

  /** The artifact an ADK filename names, or undefined. */
  private async find(key: Key, filename: string): Promise<Artifact | undefined> {
    if (isUserScoped(filename)) {
      for (const { artifacts } of await this.userArtifacts(key.appName, key.userId)) {
        const found = lastNamed(artifacts, filename);
        if (found) return found;
      }
      return undefined;
    }
    return lastNamed(await this.sessionArtifacts(key), filename);
  }

  /**
   * The service session a save goes to: the ADK session's, or for a `user:` filename the user's
   * holder that already has the artifact, else the holder in use (the oldest; created on the first
   * save, as AgentStorageSessionService creates it on the first `user:` state write).
   */
  private async saveTarget(key: Key, filename: string): Promise<string> {
    if (!isUserScoped(filename)) {
      const id = await this.storedSessionId(key);
      if (id === undefined) throw new Error(`Session ${key.sessionId} not found: an artifact is saved in a session of the session service`);
      return id;
    }
    const scope = userScope(key.appName, key.userId);
    let holders = await listHolders(this.client, scope);
    if (holders.length === 0) {
      await createHolder(this.client, scope);
      holders = await listHolders(this.client, scope);
    }
    if (holders.length === 1) return holders[0]!.id;
    const holding = (await this.userArtifacts(key.appName, key.userId)).find(({ artifacts }) => artifacts.some((a) => a.name === filename));
    return holding?.sessionId ?? holders[0]!.id;
  }

  /** The artifacts of the ADK session's service session, in creation order ([] when the service holds no such session). */
  private async sessionArtifacts(key: Key): Promise<Artifact[]> {
    for (let attempt = 1; ; attempt++) {
      const id = await this.storedSessionId(key);
      if (id === undefined) return [];
      try {
        return await this.artifactsOf(id);
      } catch (error) {
        if (!isNotFound(error) || attempt > 1) throw error;
        this.sessions.delete(sessionKey(key));
      }
    }
  }

  /**
   * The artifacts of each of the user's holders, oldest holder first (one, but for processes that
   * raced to create the first: a `user:` filename is then found in the oldest that has it).
   */
  private async userArtifacts(appName: string, userId: string): Promise<{ sessionId: string; artifacts: Artifact[] }[]> {
    const holders = await listHolders(this.client, userScope(appName, userId));
    const artifacts = await Promise.all(holders.map((holder) => this.artifactsOf(holder.id).catch((error: unknown) => (isNotFound(error) ? [] : Promise.reject(error)))));
    return holders.map((holder, i) => ({ sessionId: holder.id, artifacts: artifacts[i]! }));
  }

  private async artifactsOf(sessionId: string): Promise<Artifact[]> {
    const all: Artifact[] = [];
    for (let after: string | null | undefined; ; ) {
      const page = await this.client.artifacts.list(sessionId, { first: PAGE, after });
      all.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return all;
      after = page.pageInfo.endCursor;
    }
  }

  private async storedSessionId(key: Key): Promise<string | undefined> {
    const cacheKey = sessionKey(key);
    const cached = this.sessions.get(cacheKey);
    if (cached !== undefined) return cached;
    const stored = await findSession(this.client, key.appName, key.userId, key.sessionId);
    if (stored) this.sessions.set(cacheKey, stored.id);
    return stored?.id;
  }
}

/** The most recently created artifact of that name (lists are in creation order): where the service's save by name adds versions. */
function lastNamed(artifacts: Artifact[], name: string): Artifact | undefined {
  for (let i = artifacts.length - 1; i >= 0; i--) if (artifacts[i]!.name === name) return artifacts[i];
  return undefined;
}

const sessionKey = (key: Key) => JSON.stringify([key.appName, key.userId, key.sessionId]);
