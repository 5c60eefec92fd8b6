// s3:// checkpoint storage (@aws-sdk/client-s3). Works with AWS and S3-compatible servers: the endpoint
// comes from AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL or S3_ENDPOINT, addressing is path-style for those, and
// credentials come from the standard AWS chain (environment, profile, instance role). Large state files go
// up as multipart uploads. Checksums are only sent where S3 requires them, which S3-compatible servers need.
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { CheckpointStorage } from './checkpoint-storage.ts';

const MULTIPART_PART_SIZE = 8 * 1024 * 1024;

export class S3CheckpointStorage implements CheckpointStorage {
  readonly uri: string;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #client: S3Client;

  constructor(uri: string, client?: S3Client) {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
    if (m === null)
      throw new Error(`checkpoint storage ${uri} is not an s3:// URI; write s3://bucket/prefix`);
    this.#bucket = m[1]!;
    this.#prefix = m[2]!.replace(/\/+$/, '');
    this.uri = `s3://${this.#bucket}${this.#prefix === '' ? '' : `/${this.#prefix}`}`;
    const endpoint =
      process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL ?? process.env.S3_ENDPOINT;
    this.#client =
      client ??
      new S3Client({
        region: process.env.AWS_REGION ?? 'us-east-1',
        ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
  }

  #key(path: string): string {
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..')) throw new Error(`checkpoint path ${path} must not contain ".."`);
    return [this.#prefix, ...parts].filter((p) => p !== '').join('/');
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    const upload = new Upload({
      client: this.#client,
      params: { Bucket: this.#bucket, Key: this.#key(path), Body: bytes },
      partSize: MULTIPART_PART_SIZE,
      queueSize: 4,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async read(path: string): Promise<Uint8Array> {
    const res = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key(path) }));
    return res.Body!.transformToByteArray();
  }

  async exists(path: string): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#key(path) }));
      return true;
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (e as Error).name === 'NotFound') return false;
      throw e;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const base = this.#key(prefix);
    const dir = base === '' ? '' : `${base}/`;
    const names = new Set<string>();
    let token: string | undefined;
    do {
      const res = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: dir,
          Delimiter: '/',
          ContinuationToken: token,
        }),
      );
      for (const p of res.CommonPrefixes ?? []) names.add(p.Prefix!.slice(dir.length).replace(/\/$/, ''));
      for (const o of res.Contents ?? []) names.add(o.Key!.slice(dir.length));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token !== undefined);
    return [...names].filter((n) => n !== '').sort();
  }

  async remove(prefix: string): Promise<void> {
    const base = this.#key(prefix);
    let token: string | undefined;
    do {
      const res = await this.#client.send(
        new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: `${base}/`, ContinuationToken: token }),
      );
      const keys = (res.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length > 0)
        await this.#client.send(
          new DeleteObjectsCommand({ Bucket: this.#bucket, Delete: { Objects: keys } }),
        );
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token !== undefined);
  }
}
