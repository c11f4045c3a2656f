/** The committed event samples (events/samples/), read fresh each call so a test may change its copy. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SAMPLES = fileURLToPath(new URL('../../events/samples/', import.meta.url));

export const loadSample = <T = unknown>(file: string): T => JSON.parse(readFileSync(join(SAMPLES, file), 'utf8')) as T;
