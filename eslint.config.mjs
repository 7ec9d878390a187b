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
      // compiled LWC output (the .ts beside it is the source)
      'force-app/**/lwc/*/*.js',
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
    files: ['force-app/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.jest } },
  },
);
