// Prints what `npm run codegen` would write, as JSON [{ filename, content }], without writing.
// Run out of jest's module VM (graphql-codegen loads its plugins with require/import mixes).
import { generate } from '@graphql-codegen/cli';
import config from '../../codegen.js';

const outputs = (await generate(config, false)) as { filename: string; content: string }[];
process.stdout.write(JSON.stringify(outputs.map(({ filename, content }) => ({ filename, content }))));
