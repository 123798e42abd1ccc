import { databases } from '../../support/databases.js';
import { describeMemoryContract } from './store-contract.js';

// The contract on a real SQLite file (production pragmas) and on a throwaway PostgreSQL schema.
for (const database of databases) describeMemoryContract(database.name, () => database.open());
