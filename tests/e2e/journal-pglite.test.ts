import { EMBEDDED_POOL_SIZE, startEmbeddedDatabase } from '../../src/journal/index.js';
import { journalContract } from '../support/journal-contract.js';

journalContract('embedded PGlite over pglite-socket, in memory', async () => {
  const database = await startEmbeddedDatabase();
  return { url: database.url, poolSize: EMBEDDED_POOL_SIZE, close: () => database.close() };
});
