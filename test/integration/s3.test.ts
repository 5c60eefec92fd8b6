// S3 is real: put, get, list, a multipart upload (more than one 5 MiB part) and delete against the
// versitygw server from hack/test-env.sh, whose posix backend stores objects as files on disk.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadTestEnv, uniqueName } from './test-env.ts';

const s3 = suite('s3 (versitygw from hack/test-env.sh)');

function client(): S3Client {
  const env = loadTestEnv();
  return new S3Client({
    endpoint: env.s3Endpoint,
    region: env.awsRegion,
    forcePathStyle: true,
    credentials: { accessKeyId: env.awsAccessKeyId, secretAccessKey: env.awsSecretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

s3('put, get, list and delete an object', async () => {
  const env = loadTestEnv();
  const c = client();
  const prefix = `${uniqueName('it')}/`;
  try {
    await c.send(new PutObjectCommand({ Bucket: env.s3Bucket, Key: `${prefix}a.txt`, Body: 'hello riffle' }));
    await c.send(new PutObjectCommand({ Bucket: env.s3Bucket, Key: `${prefix}b.txt`, Body: 'second' }));

    const got = await c.send(new GetObjectCommand({ Bucket: env.s3Bucket, Key: `${prefix}a.txt` }));
    assert.is(await got.Body?.transformToString(), 'hello riffle');

    const listed = await c.send(new ListObjectsV2Command({ Bucket: env.s3Bucket, Prefix: prefix }));
    assert.equal(
      (listed.Contents ?? []).map((o) => o.Key),
      [`${prefix}a.txt`, `${prefix}b.txt`],
    );

    // The posix backend keeps the object as a plain file: the server really stored it.
    const onDisk = join(env.runDir, 's3/data', env.s3Bucket, prefix, 'a.txt');
    assert.ok(existsSync(onDisk), `expected ${onDisk} on disk`);

    await c.send(new DeleteObjectCommand({ Bucket: env.s3Bucket, Key: `${prefix}a.txt` }));
    await c.send(new DeleteObjectCommand({ Bucket: env.s3Bucket, Key: `${prefix}b.txt` }));
    const after = await c.send(new ListObjectsV2Command({ Bucket: env.s3Bucket, Prefix: prefix }));
    assert.is(after.KeyCount ?? 0, 0);
    const gone = await c.send(new HeadObjectCommand({ Bucket: env.s3Bucket, Key: `${prefix}a.txt` })).then(
      () => false,
      (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode === 404,
    );
    assert.ok(gone, 'HEAD of a deleted object must answer 404');
  } finally {
    c.destroy();
  }
});

s3('multipart upload of 12 MiB in 5 MiB parts', async () => {
  const env = loadTestEnv();
  const c = client();
  const key = `${uniqueName('it')}/big.bin`;
  const size = 12 * 1024 * 1024;
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) body.writeUInt32BE(i, i);
  try {
    const parts: number[] = [];
    const upload = new Upload({
      client: c,
      params: { Bucket: env.s3Bucket, Key: key, Body: body },
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    upload.on('httpUploadProgress', (p) => {
      if (p.part !== undefined) parts.push(p.part);
    });
    await upload.done();
    assert.is(new Set(parts).size, 3, `expected 3 parts, saw ${parts}`);

    const head = await c.send(new HeadObjectCommand({ Bucket: env.s3Bucket, Key: key }));
    assert.is(head.ContentLength, size);
    // An S3 multipart ETag is "<md5 of the part md5s>-<part count>".
    assert.match(head.ETag ?? '', /-3"?$/);

    const got = await c.send(new GetObjectCommand({ Bucket: env.s3Bucket, Key: key }));
    const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
    assert.is(bytes.length, size);
    assert.ok(bytes.equals(body), 'downloaded bytes differ from the uploaded ones');
    assert.is(statSync(join(env.runDir, 's3/data', env.s3Bucket, key)).size, size);
  } finally {
    await c.send(new DeleteObjectCommand({ Bucket: env.s3Bucket, Key: key }));
    c.destroy();
  }
});

s3.run();
