/**
 * `node server/out/engine/config/writeSchema.js > server/schema/altcall.schema.json`
 * (`npm run schema`) regenerates the schema file editors read. A script of
 * its own, so that no bundle that includes the schema code prints it.
 */
import { configSchema } from './configSchema';

process.stdout.write(JSON.stringify(configSchema(), null, 2) + '\n');
