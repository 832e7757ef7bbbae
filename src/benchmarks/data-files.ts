import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { messageOf, usageError } from '../core/errors.js';

/** Where benchmark data comes from: a local folder first, then the Hugging Face hub at a pinned revision. */
export interface DataSource {
  /** `--data-dir` or `YARDSTICK_DATA_DIR`; null when neither is given. */
  dataDir: string | null;
  /** Where downloaded files are kept (`$XDG_CACHE_HOME/yardstick/datasets`, else `~/.cache/yardstick/datasets`). */
  cacheDir: string;
  /** False (`--offline`, `YARDSTICK_OFFLINE=1`) to never touch the network. */
  download: boolean;
  /** The hub to download from: `HF_ENDPOINT` (a mirror) or https://huggingface.co. */
  endpoint: string;
  /** Told about each file before it is downloaded. */
  onDownload?: (url: string) => void;
}

/** A file of a Hugging Face dataset repository at a fixed revision, so every run reads the same bytes. */
export interface HubFile {
  repo: string;
  revision: string;
  path: string;
}

/** The dataset revisions downloads are pinned to. */
export const HUB_REVISIONS = {
  'cais/mmlu': 'c30699e8356da336a370243923dbaf21066bb9fe',
  'nyu-mll/glue': 'bcdcba79d07bc864c1c254ccfcedcce55bcc9a8c',
  'aps/super_glue': '5234c61e804e85e5994b14b002fa9ec34487bcfb',
} as const;

export type HubRepo = keyof typeof HUB_REVISIONS;

export function hubFile(repo: HubRepo, path: string): HubFile {
  return { repo, revision: HUB_REVISIONS[repo], path };
}

export const DEFAULT_HUB = 'https://huggingface.co';

export function hubUrl(file: HubFile, endpoint: string = DEFAULT_HUB): string {
  return `${endpoint.replace(/\/+$/, '')}/datasets/${file.repo}/resolve/${file.revision}/${file.path}`;
}

/** The data source from the command line and the environment. */
export function dataSourceFrom(
  options: { dataDir?: string; offline?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): DataSource {
  const cacheRoot =
    env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  const dataDir =
    options.dataDir ??
    (env.YARDSTICK_DATA_DIR !== undefined && env.YARDSTICK_DATA_DIR !== '' ? env.YARDSTICK_DATA_DIR : null);
  const offline = options.offline === true || env.YARDSTICK_OFFLINE === '1' || env.YARDSTICK_OFFLINE === 'true';
  const endpoint = env.HF_ENDPOINT !== undefined && env.HF_ENDPOINT !== '' ? env.HF_ENDPOINT : DEFAULT_HUB;
  return { dataDir, cacheDir: join(cacheRoot, 'yardstick', 'datasets'), download: !offline, endpoint };
}

export interface LocatedFile {
  path: string;
  /** What the run records: the local path, or `hf://datasets/REPO@REVISION/PATH` for a download. */
  origin: string;
}

/**
 * Finds a data file: each `localCandidates` path (relative to the data dir; the original release's layout first),
 * then the hub layout `<data dir>/<repo>/<path>`, then the download cache; downloads into the cache only when none
 * exists and downloads are allowed. Fails with every place it looked.
 */
export async function locateFile(
  source: DataSource,
  localCandidates: readonly string[],
  hub: HubFile | null,
  what: string,
): Promise<LocatedFile> {
  const looked: string[] = [];
  const roots = source.dataDir === null ? [] : [source.dataDir];
  for (const root of roots) {
    for (const candidate of [...localCandidates, ...(hub === null ? [] : [join(hub.repo, hub.path)])]) {
      const path = join(root, candidate);
      looked.push(path);
      if (existsSync(path)) return { path, origin: path };
    }
  }
  if (hub === null) throw missing(what, looked, null);
  const cached = join(source.cacheDir, hub.repo, hub.revision, hub.path);
  looked.push(cached);
  const origin = `hf://datasets/${hub.repo}@${hub.revision}/${hub.path}`;
  if (existsSync(cached)) return { path: cached, origin };
  if (!source.download) throw missing(what, looked, 'downloads are off (--offline)');
  const url = hubUrl(hub, source.endpoint);
  source.onDownload?.(url);
  try {
    await download(url, cached);
  } catch (error) {
    throw missing(what, looked, `downloading ${url} failed: ${messageOf(error)}`);
  }
  return { path: cached, origin };
}

function missing(what: string, looked: readonly string[], why: string | null): Error {
  const places = looked.length === 0 ? 'no data dir was given' : `looked for ${looked.join(', ')}`;
  return usageError(
    'BENCHMARK_DATA_MISSING',
    `no copy of ${what}: ${places}${why === null ? '' : `; ${why}`}`,
    'point --data-dir (or YARDSTICK_DATA_DIR) at a folder holding the original files (mmlu/, glue/, superglue/) or the Hugging Face layout (cais/mmlu/…), or run online once to download them',
  );
}

const PARQUET_MAGIC = 'PAR1';

async function download(url: string, path: string): Promise<void> {
  const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(300_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (path.endsWith('.parquet') && bytes.subarray(0, 4).toString('latin1') !== PARQUET_MAGIC)
    throw new Error('the answer is not a Parquet file');
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial-${process.pid}`;
  writeFileSync(partial, bytes);
  renameSync(partial, path);
}
