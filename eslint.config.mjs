// ESLint over the TypeScript and JavaScript of the service, scripts, tests and LWC sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.tools/**',
      'dist/**',
      'coverage/**',
      '.bench/**',
      '.e2e/**',
      '.prechat-guard/**',
      '.sfdx/**',
      // compiled LWC output (the .ts beside it is the source), in every package directory
      'force-app/**/lwc/*/*.js',
      'legacy-chat/**/lwc/*/*.js',
      'test/**/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Browser code: the LWC, their Jest mocks and the legacy snippet settings file (a static resource).
    files: ['force-app/**', 'legacy-chat/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.jest } },
  },
);
