import { databases } from '../../support/databases.js';
import { describeRetentionStoreContract } from './store-contract.js';

for (const database of databases) describeRetentionStoreContract(database.name, () => database.open());
