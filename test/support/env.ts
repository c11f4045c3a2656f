/** Points every handler's configuration at the run's DynamoDB Local before any module loads. */
import { inject } from 'vitest';
import { tableNames } from '../../infra/local/tables.js';
import { TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';

process.env.DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
process.env.AWS_REGION = 'eu-west-2';
const names = tableNames();
for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];
// A fixed test key: duplicate detection needs one, and its value does not matter here.
process.env.PERSON_MATCH_KEY = Buffer.alloc(32, 7).toString('base64');
process.env.PSEUDONYMISATION_KEY = Buffer.alloc(32, 9).toString('base64');
process.env.CURSOR_KEY = Buffer.alloc(32, 13).toString('base64');
