/**
 * The scale path: every fact version also goes out as a date-partitioned, versioned record
 * (`facts/received_day=YYYY-MM-DD/<factKey>/<changeSeq>.json`) for Athena in AWS (S3, bucket from
 * EXPORT_BUCKET) or under `.local/exports/` locally (EXPORT_DIR). Same key layout both ways; a
 * rewrite of the same version writes the same bytes, so repeats are harmless.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DemandFact } from '../deidentify/facts.js';
import { ENV } from '../env.js';

let s3: import('@aws-sdk/client-s3').S3Client | undefined;

export const exportKeyOf = (f: DemandFact) =>
  `facts/received_day=${f.receivedDay}/${f.factKey}/${String(f.changeSeq).padStart(8, '0')}.json`;

export async function exportFact(fact: DemandFact, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const key = exportKeyOf(fact);
  const body = JSON.stringify(fact);
  const bucket = env[ENV.exportBucket];
  if (bucket) {
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    s3 ??= new S3Client({});
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
    return;
  }
  const dir = env[ENV.exportDir];
  if (dir) {
    const path = join(dir, key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  }
}
