import { AgentStorageError } from './errors.js';

/**
 * Records on the REST door's wire: snake_case members (the original service's), read into the
 * client's camelCase and written back. Values stay as they are: metadata and items keep their own keys.
 */

const camel = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** A REST record's members in camelCase. */
export function fromWire<T>(record: unknown): T {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new AgentStorageError({ code: 'BAD_RESPONSE', message: 'The service answered without the expected record' });
  }
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [camel(name), value])) as T;
}

/** A record's members in snake_case, those that are undefined left out. */
export function toWire(record: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).flatMap(([name, value]) => (value === undefined ? [] : [[snake(name), value]])));
}

/** A response's JSON body; BAD_RESPONSE when it is not JSON. */
export async function json(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch (error) {
    throw new AgentStorageError({ status: response.status, code: 'BAD_RESPONSE', message: 'The service answered with a body that is not JSON', cause: error });
  }
}
