import { dirname, relative, resolve, sep } from 'node:path';

const SRC = resolve(import.meta.dirname, '..', 'src');

/**
 * The folders of src/ from the bottom layer to the top, as docs/architecture.md lists them: a folder may import
 * only folders listed before it. Test files are outside the layering.
 */
export const LAYERS = [
  'core',
  'plugins',
  'types',
  'tokens',
  'stats',
  'resources',
  'store',
  'http',
  'http-server',
  'accuracy',
  'efficiency',
  'data',
  'models',
  'drift',
  'config',
  'quality',
  'monitor',
  'prometheus',
  'targets',
  'eval',
  'load',
  'serve',
  'proxy',
  'benchmarks',
  'simulator',
  'jobs',
  'tradeoff',
  'tuning',
  'rating',
  'runs',
  'queue',
  'report',
  'run-kinds',
  'api',
  'canary',
  'view',
  'cli',
];

/** The src/ folder a file is in; null outside src/ or for files at its root (index.ts sits above every layer). */
function folderOf(file) {
  const rel = relative(SRC, file);
  if (rel.startsWith('..') || !rel.includes(sep)) return null;
  return rel.split(sep)[0] ?? null;
}

/** An ESLint rule: an import from a folder to a folder above it in LAYERS is an error. */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports follow the layers of docs/architecture.md: never from a layer to one above it' },
    messages: {
      upward:
        '{{from}}/ may not import {{to}}/: {{to}}/ is above it in the layers of docs/architecture.md (eslint/layers.js)',
      unlisted: '{{folder}}/ is not in the layers of docs/architecture.md: add it to LAYERS in eslint/layers.js',
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = folderOf(file);
    if (from === null || file.endsWith('.test.ts')) return {};
    const fromLayer = LAYERS.indexOf(from);
    const check = (source) => {
      if (source === null || source === undefined || typeof source.value !== 'string') return;
      if (!source.value.startsWith('.')) return;
      const to = folderOf(resolve(dirname(file), source.value));
      if (to === null || to === from) return;
      const toLayer = LAYERS.indexOf(to);
      if (fromLayer < 0) context.report({ node: source, messageId: 'unlisted', data: { folder: from } });
      else if (toLayer < 0) context.report({ node: source, messageId: 'unlisted', data: { folder: to } });
      else if (toLayer > fromLayer) context.report({ node: source, messageId: 'upward', data: { from, to } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};
