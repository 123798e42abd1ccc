import { AgentStorageError } from './errors.js';

/**
 * Records on the REST door's wire: snake_case members (the original service's), read into the
 * client's camelCase and written back. Values stay as they are: metadata and items keep their own keys.
 */

/**
 * A name's other spelling, remembered: a history read converts the same dozen names for every
 * record, and a regular expression per name per record was most of the client's time on a turn.
 */
function spelling(convert: (name: string) => string): (name: string) => string {
  const known = new Map<string, string>();
  return (name) => {
    let spelled = known.get(name);
    if (spelled === undefined) {
      spelled = convert(name);
      // Bounded: records' own names are few, but a server answering arbitrary members must not grow it.
      if (known.size < 1024) known.set(name, spelled);
    }
    return spelled;
  };
}

const camel = spelling((name) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()));
const snake = spelling((name) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`));

/** A REST record's members in camelCase. */
export function fromWire<T>(record: unknown): T {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new AgentStorageError({ code: 'BAD_RESPONSE', message: 'The service answered without the expected record' });
  }
  const read: Record<string, unknown> = {};
  for (const name of Object.keys(record)) {
    // No record of the service has such a member; assigning it would replace the prototype.
    if (name !== '__proto__') read[camel(name)] = (record as Record<string, unknown>)[name];
  }
  return read as T;
}

/** A record's members in snake_case, those that are undefined left out. */
export function toWire(record: object): Record<string, unknown> {
  const written: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) if (value !== undefined) written[snake(name)] = value;
  return written;
}

/** A response's JSON body; BAD_RESPONSE when it is not JSON. */
export async function json(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch (error) {
    throw new AgentStorageError({ status: response.status, code: 'BAD_RESPONSE', message: 'The service answered with a body that is not JSON', cause: error });
  }
}
