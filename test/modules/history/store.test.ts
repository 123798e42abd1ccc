import { databases } from '../../support/databases.js';
import { describeHistoryStoreContract } from './store-contract.js';

for (const database of databases) describeHistoryStoreContract(database.name, () => database.open());
