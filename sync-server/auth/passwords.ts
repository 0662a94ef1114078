/**
 * Password hashes of local mode (docs/team.md § Signing in): scrypt with a salt per
 * person, in a file beside the workbook that only the service's account may read (0600).
 * Never in the workbook, never in the repository.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';

/** N = 2^15, r = 8, p = 1: about 32 MiB and tens of milliseconds per check. */
const PARAMS = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

const entrySchema = z.object({
  salt: z.string().min(16),
  hash: z.string().min(32),
  N: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  changedAt: z.string(),
});
const fileSchema = z.object({ version: z.literal(1), users: z.record(z.string(), entrySchema) });
type PasswordData = z.infer<typeof fileSchema>;

function scrypt(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((ok, fail) => {
    scryptCb(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { ...params, maxmem: 128 * 1024 * 1024 },
      (err, key) => (err ? fail(err) : ok(key)),
    );
  });
}

/** The password file of a workbook: `.crm-passwords.json` in the workbook's folder. */
export function passwordFileOf(workbook: string): string {
  return join(dirname(workbook), '.crm-passwords.json');
}

export const MIN_PASSWORD = 8;

export class PasswordFile {
  constructor(readonly path: string) {}

  private async load(): Promise<PasswordData> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, users: {} };
      throw e;
    }
    // Someone widened the file's mode: narrow it again before trusting it further.
    if (((await stat(this.path)).mode & 0o077) !== 0) await chmod(this.path, 0o600);
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(
        `密码文件 ${this.path} 格式无效：请删除后用 crm-sync user passwd 重新设置密码`,
      );
    return parsed.data;
  }

  private async save(data: PasswordData): Promise<void> {
    const temp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.tmp`);
    try {
      await writeFile(temp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600, flag: 'w' });
      await chmod(temp, 0o600);
      await rename(temp, this.path);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async has(login: string): Promise<boolean> {
    return Object.hasOwn((await this.load()).users, login);
  }

  async logins(): Promise<Set<string>> {
    return new Set(Object.keys((await this.load()).users));
  }

  async set(login: string, password: string): Promise<void> {
    if (password.length < MIN_PASSWORD) throw new Error(`密码至少 ${MIN_PASSWORD} 位`);
    const data = await this.load();
    const salt = randomBytes(16);
    const key = await scrypt(password, salt, PARAMS);
    data.users[login] = {
      salt: salt.toString('base64'),
      hash: key.toString('base64'),
      ...PARAMS,
      changedAt: new Date().toISOString(),
    };
    await this.save(data);
  }

  async remove(login: string): Promise<void> {
    const data = await this.load();
    if (!Object.hasOwn(data.users, login)) return;
    delete data.users[login];
    await this.save(data);
  }

  /** True when the password is right; a login without a password never matches. */
  async verify(login: string, password: string): Promise<boolean> {
    const entry = (await this.load()).users[login];
    // Hash anyway, so an unknown login takes as long as a wrong password.
    const salt = entry ? Buffer.from(entry.salt, 'base64') : randomBytes(16);
    const key = await scrypt(password, salt, entry ?? PARAMS);
    if (!entry) return false;
    const want = Buffer.from(entry.hash, 'base64');
    return want.length === key.length && timingSafeEqual(want, key);
  }
}

/** A password people can type: 12 characters, no look-alikes. */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(12);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
