/** Whether `--store` (or YARDSTICK_STORE) names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(text);
}

/** The store as it may be shown: a URL's password replaced by `***` (a file path as it is). */
export function redactedStoreUrl(text: string): string {
  if (!isPostgresUrl(text)) return text;
  try {
    const url = new URL(text);
    if (url.password !== '') url.password = '***';
    for (const name of [...url.searchParams.keys()])
      if (/pass|secret|key/i.test(name)) url.searchParams.set(name, '***');
    return url.toString();
  } catch {
    return 'a PostgreSQL URL that cannot be read';
  }
}
