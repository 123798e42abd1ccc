import { databases } from '../../support/databases.js';
import { describeStateStoreContract } from './store-contract.js';

for (const database of databases) describeStateStoreContract(database.name, () => database.open());
