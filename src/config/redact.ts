const SECRET_NAME = /auth|key|token|secret|cookie|password/i;

/** A deep copy with the values of secret-looking fields (authorization, api-key, token…) replaced, for storing and printing. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      // apiKeyEnv names a variable; the name is not a secret and is kept.
      if (SECRET_NAME.test(key) && key !== 'apiKeyEnv' && key !== 'apiKeyHeader' && typeof v !== 'object') return [key, '[redacted]'];
      return [key, redactSecrets(v)];
    }),
  );
}
