import { databases } from '../../support/databases.js';
import { describeApiKeyStoreContract } from './store-contract.js';

// A real SQLite file (production pragmas) and a throwaway PostgreSQL schema: the same cases on each.
for (const database of databases) describeApiKeyStoreContract(database.name, () => database.open());
