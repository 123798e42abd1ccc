/**
 * Semantic search for AgentStorageStore: the texts of an item's indexed fields are embedded here,
 * on the client, and the vectors sent with the put; a search's `query` is embedded the same way and
 * the server ranks by cosine similarity. Field paths follow LangGraph's InMemoryStore (its
 * `tokenizePath`/`getTextAtPath` from `store/utils`, which the package does not export — the
 * exported `getTextAtPath` is an older, narrower one): `$` (the whole value), `a.b`, `a[0]`,
 * `a[-1]`, `a[*].b`, `*`, `{a,b.c}`.
 */

/** LangChain's `Embeddings` (from `@langchain/core/embeddings`), as far as the store uses it. */
export interface EmbeddingsLike {
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}

/** A function from texts to their vectors, in order (Python's `embed` may be one too). */
export type EmbedFunction = (texts: string[]) => number[][] | Promise<number[][]>;

export interface StoreIndexConfig {
  /** Dimensions of every vector; a vector of another length is an error. */
  dims: number;
  /** The embedding model: a LangChain `Embeddings` instance, or a function texts → vectors. */
  embed?: EmbeddingsLike | EmbedFunction;
  /** LangGraph.js's name for `embed` (InMemoryStore's `index.embeddings`). */
  embeddings?: EmbeddingsLike;
  /** Field paths to embed by default. Default `["$"]`: the whole value as one text. */
  fields?: string[];
}

/** A text of an item to embed, under the name its vector is stored by (InMemoryStore's: `path`, or `path.i` for each of several texts). */
export interface FieldText {
  field: string;
  text: string;
}

/** Splits a field path into its tokens: names, `[…]` and `{…}` groups. */
export function tokenizePath(path: string): string[] {
  const tokens: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; ) {
    const c = path[i]!;
    if (c === '[' || c === '{') {
      if (current) tokens.push(current);
      current = '';
      const close = c === '[' ? ']' : '}';
      let depth = 0;
      let group = '';
      do {
        const g = path[i]!;
        if (g === c) depth++;
        else if (g === close) depth--;
        group += g;
        i++;
      } while (i < path.length && depth > 0);
      tokens.push(group);
      continue;
    }
    if (c === '.') {
      if (current) tokens.push(current);
      current = '';
    } else current += c;
    i++;
  }
  if (current) tokens.push(current);
  return tokens;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A leaf as text: scalars as themselves, objects and lists as indented JSON, null as nothing. */
function leafText(value: unknown): string[] {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (isRecord(value)) return [JSON.stringify(value, null, 2)];
  return [];
}

/** The texts at a field path of a value (none when the path leads nowhere). */
export function textsAtPath(value: unknown, path: string): string[] {
  if (!path || path === '$') return [JSON.stringify(value, null, 2)];
  return extract(value, tokenizePath(path), 0);
}

function extract(value: unknown, tokens: readonly string[], pos: number): string[] {
  if (pos >= tokens.length) return leafText(value);
  const token = tokens[pos]!;
  const out: string[] = [];
  if (pos === 0 && token === '$') out.push(JSON.stringify(value, null, 2));
  if (token.startsWith('[') && token.endsWith(']')) {
    if (!Array.isArray(value)) return [];
    const index = token.slice(1, -1);
    if (index === '*') for (const v of value) out.push(...extract(v, tokens, pos + 1));
    else {
      let i = Number.parseInt(index, 10);
      if (i < 0) i += value.length;
      if (i >= 0 && i < value.length) out.push(...extract(value[i], tokens, pos + 1));
    }
  } else if (token.startsWith('{') && token.endsWith('}')) {
    if (!isRecord(value)) return [];
    for (const field of token.slice(1, -1).split(',')) {
      let current: unknown = value;
      for (const part of tokenizePath(field.trim())) current = isRecord(current) && part in current ? current[part] : undefined;
      // Here (unlike at the end of a path) null counts, as the JSON text "null": InMemoryStore's rule.
      if (current !== undefined) out.push(...(current === null ? ['null'] : leafText(current)));
    }
  } else if (token === '*') {
    const children = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
    for (const v of children) out.push(...extract(v, tokens, pos + 1));
  } else if (isRecord(value) && token in value) {
    out.push(...extract(value[token], tokens, pos + 1));
  }
  return out;
}

/** The texts to embed of a value over the given field paths, each named as its vector is stored. */
export function fieldTexts(value: Record<string, unknown>, fields: readonly string[]): FieldText[] {
  const out: FieldText[] = [];
  for (const path of fields) {
    const texts = textsAtPath(value, path);
    if (texts.length === 1) out.push({ field: path, text: texts[0]! });
    else texts.forEach((text, i) => out.push({ field: `${path}.${i}`, text }));
  }
  return out;
}

/** The configured model behind one interface, checking what it answers (count and dimensions). */
export class Embedder {
  readonly fields: readonly string[];
  private readonly dims: number;
  private readonly model: EmbeddingsLike | EmbedFunction;

  constructor(config: StoreIndexConfig) {
    const model = config.embed ?? config.embeddings;
    if (!model) throw new TypeError('index: give `embed` (an Embeddings instance or a function texts → vectors)');
    if (!Number.isInteger(config.dims) || config.dims < 1) throw new RangeError('index.dims must be a positive integer');
    this.model = model;
    this.dims = config.dims;
    this.fields = config.fields ?? ['$'];
  }

  /** Vectors of texts stored with items. */
  async documents(texts: string[]): Promise<number[][]> {
    if (!texts.length) return [];
    const model = this.model;
    return this.checked(texts, typeof model === 'function' ? await model(texts) : await model.embedDocuments(texts));
  }

  /** Vectors of search queries. */
  async queries(texts: string[]): Promise<number[][]> {
    if (!texts.length) return [];
    const model = this.model;
    return this.checked(texts, typeof model === 'function' ? await model(texts) : await Promise.all(texts.map((t) => model.embedQuery(t))));
  }

  private checked(texts: readonly string[], vectors: number[][]): number[][] {
    if (!Array.isArray(vectors) || vectors.length !== texts.length) {
      throw new Error(`index.embed returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${texts.length} texts`);
    }
    for (const v of vectors) {
      if (!Array.isArray(v) || v.length !== this.dims) throw new Error(`index.embed returned a vector of ${Array.isArray(v) ? v.length : 'no'} dimensions; index.dims is ${this.dims}`);
    }
    return vectors;
  }
}
