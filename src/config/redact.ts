const SECRET_WORDS = new Set([
  'auth',
  'authorization',
  'key',
  'secret',
  'password',
  'passwd',
  'cookie',
  'token',
  'bearer',
  'credential',
  'credentials',
  'signature',
]);
/** Names that hold the name of a secret's variable or header, not the secret. */
const NOT_SECRET = new Set(['apiKeyEnv', 'apiKeyHeader']);

/** Whether a field name is secret-like: one of its words (camelCase, snake_case or kebab-case) names a secret; `maxTokens` does not. */
export function isSecretName(name: string): boolean {
  if (NOT_SECRET.has(name)) return false;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .map((w) => w.toLowerCase());
  return words.some((w) => SECRET_WORDS.has(w));
}

/** A deep copy with the values of secret-looking fields (authorization, api-key, token…) replaced, for storing and printing. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) =>
      isSecretName(key) && typeof v !== 'object' ? [key, '[redacted]'] : [key, redactSecrets(v)],
    ),
  );
}

/** Environment variables with the values of secret-looking names (HF_TOKEN, API_KEY…) replaced, for storing. */
export function redactedEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => [name, isSecretName(name) ? '[redacted]' : value]),
  );
}
