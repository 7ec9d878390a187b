// ESLint over the TypeScript and JavaScript of the service, scripts, tests and LWC sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import lwcConfig from '@salesforce/eslint-config-lwc';
import jestPlugin from 'eslint-plugin-jest';

// The LWC sources and their tests, in every package directory (the compiled .js beside them is ignored below).
const LWC_FILES = ['force-app/**/lwc/**/*.ts', 'legacy-chat/**/lwc/**/*.ts'];
const LWC_TEST_FILES = ['force-app/**/lwc/**/__tests__/**/*.ts', 'legacy-chat/**/lwc/**/__tests__/**/*.ts'];
// What the LWC tests share outside the bundles: platform module stand-ins, fixtures, the snippet settings tests.
const LWC_TEST_SUPPORT_FILES = ['force-app/test/**/*.{js,ts}', 'legacy-chat/test/**/*.{js,ts}'];

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
  {
    // Salesforce's LWC rules (the `recommended` flavour: LWC platform restrictions and best practices, JavaScript
    // pitfalls, the import plugin's errors and the Jest plugin's recommended rules) on the LWC sources and tests.
    files: LWC_FILES,
    extends: [...lwcConfig.configs.recommended],
  },
  {
    // The sources are TypeScript. The config's own TypeScript flavour parses with Babel, which its README says breaks
    // many rules on type assertions; typescript-eslint's parser gives the LWC rules the same ESTree (decorators
    // included), and test/lint/lwcLint.test.ts proves they still fire on .ts files.
    files: LWC_FILES,
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    },
    settings: {
      // Lets the import plugin's checks (named, default, namespace, export) follow relative imports of .ts modules.
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import/resolver': { node: { extensions: ['.ts', '.js'] } },
    },
    rules: {
      // The recommended config turns the core rules back on after typescript-eslint switched them off: the core
      // versions misread TypeScript (type-only names, overloads, parameter properties, `declare`), and the compiler
      // checks undefined names already. Use typescript-eslint's versions with the same options.
      ...tseslint.configs.eslintRecommended.rules,
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-unused-expressions': 'off',
      '@typescript-eslint/no-unused-expressions': 'error',
      'no-shadow': 'off',
      '@typescript-eslint/no-shadow': 'error',
      'no-use-before-define': 'off',
      '@typescript-eslint/no-use-before-define': ['error', { functions: false }],
      'no-useless-constructor': 'off',
      '@typescript-eslint/no-useless-constructor': 'error',
      'no-empty-function': 'off',
      '@typescript-eslint/no-empty-function': ['error', { allow: ['arrowFunctions', 'functions', 'methods'] }],
      // `void promise;` as a statement is how TypeScript code marks a call it deliberately does not await (event
      // handlers and lifecycle hooks cannot be async); `void` as a value (`void 0`) stays forbidden.
      'no-void': ['error', { allowAsStatement: true }],
    },
  },
  {
    // As Salesforce's sample apps do for LWC tests: tests may call wire adapters directly, and run under Node.
    files: LWC_TEST_FILES,
    languageOptions: { globals: { ...globals.node } },
    rules: { '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off' },
  },
  {
    // The Jest plugin's recommended rules on what the LWC tests share (the config above brings them to the tests).
    files: LWC_TEST_SUPPORT_FILES,
    extends: [jestPlugin.configs['flat/recommended']],
  },
);
