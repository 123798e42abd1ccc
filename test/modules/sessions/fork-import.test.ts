import { databases } from '../../support/databases.js';
import { describeForkImportContract } from './fork-import-contract.js';

// A real SQLite file (production pragmas) and a throwaway PostgreSQL schema, each test a fresh one.
for (const database of databases) describeForkImportContract(database.name, () => database.open());
