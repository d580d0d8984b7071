import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/**
 * One lint for the whole workspace: the recommended rules of ESLint, typescript-eslint and
 * eslint-plugin-svelte. Formatting is Prettier's (`prettier --check`), so no rule here judges it.
 */
export default ts.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'tests/bench/results/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  ...svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // `_name` marks what is unused on purpose (a parameter a signature needs, a field left out of a copy).
      // Untrusted text is cleaned of control characters on purpose, by a regular expression.
      'no-control-regex': 'off',
      // Plain Maps and Sets hold what nothing renders from (caches, timers, connections); what the
      // page shows lives in $state, so a Svelte collection would only add tracking.
      'svelte/prefer-svelte-reactivity': 'off',
      // {' '} and {' · '} keep the spaces between inline elements whatever the formatter does to the markup.
      'svelte/no-useless-mustaches': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
);
