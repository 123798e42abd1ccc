import { parseInput } from '../../../src/domain/inputs.js';
import { type MemoryResult, type MemoryService, memoryOperations, type ScoredItem } from '../../../src/modules/memory/service.js';

/** The memory service with helpers that go through the doors' input parser, as a client's batch would. */
export function memoryClient(service: MemoryService) {
  const batch = async (ops: unknown[]): Promise<MemoryResult[]> => service.batch(parseInput(memoryOperations, ops));
  const one = async (op: unknown) => (await batch([op]))[0]!;
  return {
    service,
    batch,
    put: async (namespace: string[], key: string, value: Record<string, unknown> | null, extra: Record<string, unknown> = {}) => {
      await one({ put: { namespace, key, value, ...extra } });
    },
    get: async (namespace: string[], key: string, refreshTtl = false) => {
      const r = await one({ get: { namespace, key, refreshTtl } });
      return r.kind === 'get' ? r.item : null;
    },
    search: async (namespacePrefix: string[], options: Record<string, unknown> = {}): Promise<ScoredItem[]> => {
      const r = await one({ search: { namespacePrefix, ...options } });
      return r.kind === 'search' ? r.items : [];
    },
    list: async (options: Record<string, unknown> = {}): Promise<string[][]> => {
      const r = await one({ listNamespaces: options });
      return r.kind === 'listNamespaces' ? r.namespaces : [];
    },
  };
}

export type MemoryClient = ReturnType<typeof memoryClient>;
