import { databases } from '../../support/databases.js';
import { describeSessionsStoreContract } from './store-contract.js';

// A real SQLite file (production pragmas) and a throwaway PostgreSQL schema, each test a fresh one.
for (const database of databases) describeSessionsStoreContract(database.name, () => database.open());
