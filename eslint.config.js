import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'addon/dist/', 'data/', 'coverage/', 'bench/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // shared/ and sheets-templates/ also run inside Apps Script and the sidebar:
    // no Node modules, no Node or browser globals.
    files: ['shared/**/*.ts', 'sheets-templates/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'shared/ must stay free of Node APIs.' },
            {
              group: [
                'fs',
                'path',
                'os',
                'crypto',
                'http',
                'https',
                'child_process',
                'url',
                'stream',
                'buffer',
                'util',
                'events',
                'zlib',
              ],
              message: 'shared/ must stay free of Node APIs.',
            },
            {
              group: ['**/sync-server/**', '**/addon/**'],
              message: 'shared/ depends on nothing above it.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'process',
          'Buffer',
          'require',
          '__dirname',
          '__filename',
          'setImmediate',
          'global',
          'window',
          'document',
          'fetch',
          'setTimeout',
          'setInterval',
        ].map((name) => ({
          name,
          message: 'shared/ is pure: pass what you need in as an argument.',
        })),
      ],
    },
  },
  {
    // The templates are the vocabulary everything else derives from: they name types from
    // elsewhere at most, and never run code from above them.
    files: ['sheets-templates/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../**'],
              allowTypeImports: true,
              message: 'sheets-templates/ may import only types from outside itself.',
            },
          ],
        },
      ],
    },
  },
);
