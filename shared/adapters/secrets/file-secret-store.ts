/**
 * Local secret store: AES-256-GCM per secret (the name is authenticated as AAD so ciphertexts cannot be
 * swapped between names), a random 256-bit key in a 0600 key file, and atomic writes
 * (temp file + fsync + rename) so a crash never leaves a half-written store.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { promises as fs, existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SecretStore } from '../../ports/secret-store.js';

const entrySchema = z.object({ iv: z.string(), tag: z.string(), data: z.string() });
const fileSchema = z.object({ version: z.literal(1), secrets: z.record(z.string(), entrySchema) });
type StoreFile = z.infer<typeof fileSchema>;

export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const;
  private readonly key: Buffer;
  private readonly dataFile: string;
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keyFile = join(dir, 'secrets.key');
    if (!existsSync(keyFile)) {
      writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    chmodSync(keyFile, 0o600);
    const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`Secret key file ${keyFile} is not a 256-bit key.`);
    this.key = key;
    this.dataFile = join(dir, 'secrets.json');
  }

  async get(name: string): Promise<string | undefined> {
    const file = await this.read();
    const entry = file.secrets[name];
    if (!entry) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(entry.iv, 'base64'));
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString('utf8');
  }

  set(name: string, value: string): Promise<void> {
    return this.mutate((file) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.key, iv);
      cipher.setAAD(Buffer.from(name));
      const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      file.secrets[name] = { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    });
  }

  delete(name: string): Promise<void> {
    return this.mutate((file) => {
      delete file.secrets[name];
    });
  }

  async probe(): Promise<void> {
    const file = await this.read();
    const first = Object.keys(file.secrets)[0];
    if (first !== undefined) await this.get(first);
  }

  private async read(): Promise<StoreFile> {
    let text: string;
    try {
      text = await fs.readFile(this.dataFile, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, secrets: {} };
      throw e;
    }
    return fileSchema.parse(JSON.parse(text));
  }

  /** Serializes read-modify-write cycles within the process. */
  private mutate(change: (file: StoreFile) => void): Promise<void> {
    const next = this.writes.then(async () => {
      const file = await this.read();
      change(file);
      const tmp = `${this.dataFile}.${process.pid}.tmp`;
      const handle = await fs.open(tmp, 'w', 0o600);
      try {
        await handle.writeFile(JSON.stringify(file));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tmp, this.dataFile);
    });
    this.writes = next.catch(() => undefined);
    return next;
  }
}
