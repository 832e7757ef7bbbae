import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layersRule } from './eslint/layers.js';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.yardstick/**',
      '.optional/**',
      'coverage/**',
      'bench/**/*.mjs',
      'scripts/**/*.mjs',
      // Compiled against the built package by test/library-example.test.ts, as a user's project compiles it.
      'examples/library/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { yardstick: { rules: { layers: layersRule } } },
    rules: {
      'yardstick/layers': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'TSAsExpression > MemberExpression.expression[property.name=/^(summary|result|config|record_json)$/]',
          message:
            "stored data is read through its kind's reader (evalRunOf, benchRunOf, readCaseResults, …), never cast",
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
