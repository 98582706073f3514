/**
 * Secrets at rest. API keys are random tokens stored only as a SHA-256 hash (shown once). Webhook signing secrets
 * must be usable to verify HMACs, so they are stored encrypted with AES-256-GCM under a key derived from AUTH_SECRET
 * (HKDF-SHA256); rotating AUTH_SECRET therefore means rotating source secrets too (documented in README).
 */
import "server-only";
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { authSecret } from "./secret";

const VERSION = "v1";

function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret(), "switchyard", "source-secrets", 32));
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64url")}`;
}

/** The secret, or null when it cannot be decrypted (tampered, or AUTH_SECRET changed since it was stored). */
export function decryptSecret(stored: string): string | null {
  const [version, payload] = stored.split(":", 2);
  if (version !== VERSION || !payload) return null;
  const raw = Buffer.from(payload, "base64url");
  if (raw.length < 29) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** A random token from a 57-character alphabet (≈ 5.8 bits per character). */
export function randomToken(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = "";
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < ALPHABET.length * 4) out += ALPHABET[b % ALPHABET.length];
  }
  return out.length === length ? out : randomToken(length);
}

/** A new API key: `sy_<prefix>_<secret>`; store `hashApiKey(key)`, show the key once. */
export function newApiKey(): { key: string; prefix: string } {
  const prefix = randomToken(8);
  return { key: `sy_${prefix}_${randomToken(40)}`, prefix: `sy_${prefix}` };
}

export function hashApiKey(key: string): string {
  return sha256Hex(key);
}

/** A Standard Webhooks style secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** Constant-time comparison of two strings (false when lengths differ, without leaking where). */
export function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  if (ba.length !== bb.length) {
    timingSafeEqual(ba, ba);
    return false;
  }
  return timingSafeEqual(ba, bb);
}
