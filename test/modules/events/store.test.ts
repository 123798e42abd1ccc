import { databases } from '../../support/databases.js';
import { describeEventStoreContract } from './store-contract.js';

// A fresh SQLite file (production pragmas) and a throwaway PostgreSQL schema per test.
for (const database of databases) describeEventStoreContract(database.name, () => database.open());
