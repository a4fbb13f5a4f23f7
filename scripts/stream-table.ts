/** Prints the README's stream table from the stream definitions: `node dist/scripts/stream-table.js`. */
import { streams } from '../pipelines/index.js';
import { streamTableRows } from './streamTableRows.js';

process.stdout.write(`${streamTableRows(streams).join('\n')}\n`);
