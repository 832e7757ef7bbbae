import { fileURLToPath } from 'node:url';

/** Benchmark data shipped with the tests (MMLU, GLUE, SuperGLUE in their original layouts; see its README). */
export const DATA_DIR = fileURLToPath(new URL('../fixtures/data', import.meta.url));

/** A llama-architecture GGUF model with random weights (1.7 MB; see test/fixtures/models/README.md). */
export const TINY_GGUF = fileURLToPath(new URL('../fixtures/models/llama-2-tiny-random.gguf', import.meta.url));
