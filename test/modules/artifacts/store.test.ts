import { databases } from '../../support/databases.js';
import { describeArtifactStoreContract } from './store-contract.js';

for (const database of databases) describeArtifactStoreContract(database.name, () => database.open());
