/** Whether `--store` (or YARDSTICK_STORE) names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(text);
}

/** The store as it may be shown: a URL's password replaced by `***` (a file path as it is). */
export function redactedStoreUrl(text: string): string {
  return isPostgresUrl(text) ? redactedUrl(text) : text;
}

/** A URL (a PostgreSQL store, a Redis queue) as it may be shown: its password and secret parameters replaced by `***`. */
export function redactedUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password !== '') url.password = '***';
    for (const name of [...url.searchParams.keys()])
      if (/pass|secret|key/i.test(name)) url.searchParams.set(name, '***');
    return url.toString();
  } catch {
    return 'a URL that cannot be read';
  }
}
