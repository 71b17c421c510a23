import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// ---------------------------------------------------------------------------
// Layer boundaries of src/ (checked by test/unit/lint/boundaries.test.ts).
//
// Each boundary names the packages only one folder may import. In flat config a
// later config object for the same rule REPLACES the earlier one for the files
// it matches, so instead of stacking objects we compute, for every folder, the
// complete list of restrictions that applies to it and emit one object per
// folder with that whole list.
// ---------------------------------------------------------------------------

/** One owner folder per set of packages; `regex` is matched against the module specifier. */
const PACKAGE_BOUNDARIES = [
  {
    folder: 'action',
    regex: '^@actions/core(/|$)',
    message: 'only src/action/ talks to the runner (@actions/core): take the value as a parameter or return it, and let src/action/ do the I/O.',
  },
  {
    folder: 'github',
    regex: '^(@actions/github(/|$)|@octokit/)',
    message: 'only src/github/ talks to the GitHub API (@actions/github, @octokit/*): depend on a port from src/model/ instead.',
  },
  {
    folder: 'aws',
    regex: '^(@aws-sdk|@smithy)/',
    message: 'only src/aws/ talks to AWS (@aws-sdk/*, @smithy/*, type-only imports included): depend on a port or a type from src/model/ instead.',
  },
];

/** src/model/ imports nothing but its siblings ('./x.js'): no '../', no packages, no node: builtins. */
const MODEL_SIBLING_ONLY = {
  regex: '^(?!\\./[^./][^/]*$)',
  message: 'src/model/ is the dependency-free core: it may import only its siblings (\'./x.js\'), no packages, no node: builtins, no other src/ folders.',
};

const PROCESS_ENV_MESSAGE = 'read the environment in src/action/ and pass it in';

/** Folders with a config object of their own; every other file under src/ gets the general set. */
const OWNER_FOLDERS = ['action', 'github', 'aws', 'model'];

/** An esquery regex literal for a module-specifier regex ('/' must not end the literal early). */
const selectorRegex = (source) => `/${source.replaceAll('/', '\\x2F')}/`;

/** Selectors for module specifiers that no-restricted-imports does not see. */
const specifierSelectors = (regexLiteral) => [
  // import('pkg') and import(`pkg`)
  `ImportExpression[source.value=${regexLiteral}]`,
  `ImportExpression[source.type='TemplateLiteral'][source.quasis.0.value.cooked=${regexLiteral}]`,
  // type X = import('pkg').Y
  `TSImportType[source.value=${regexLiteral}]`,
  // require('pkg') (createRequire)
  `CallExpression[callee.name='require'][arguments.0.value=${regexLiteral}]`,
];

function boundaryRules(folder) {
  const boundaries = folder === 'model' ? [MODEL_SIBLING_ONLY] : PACKAGE_BOUNDARIES.filter((b) => b.folder !== folder);
  const readsEnv = folder !== 'action';

  const rules = {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: readsEnv
          ? ['process', 'node:process'].map((name) => ({ name, importNames: ['env'], message: PROCESS_ENV_MESSAGE }))
          : [],
        // allowTypeImports stays false: `import type` from these packages is a boundary breach too.
        patterns: boundaries.map(({ regex, message }) => ({ regex, message })),
      },
    ],
    'no-restricted-syntax': [
      'error',
      ...boundaries.flatMap(({ regex, message }) =>
        specifierSelectors(selectorRegex(regex)).map((selector) => ({ selector, message })),
      ),
      ...(folder === 'model'
        ? [{ selector: 'ImportExpression:not([source.type=/^(Literal|TemplateLiteral)$/])', message: MODEL_SIBLING_ONLY.message }]
        : []),
      ...(readsEnv
        ? [
            // globalThis.process.env, global.process.env (process.env itself is no-restricted-properties)
            { selector: "MemberExpression[property.name='env'][object.type='MemberExpression'][object.property.name='process']", message: PROCESS_ENV_MESSAGE },
          ]
        : []),
    ],
    'no-restricted-properties': readsEnv
      ? ['error', { object: 'process', property: 'env', message: PROCESS_ENV_MESSAGE }]
      : 'off',
  };
  return rules;
}

const boundaryConfigs = [
  {
    name: 'boundaries/src',
    files: ['src/**/*.ts'],
    rules: boundaryRules(null),
  },
  ...OWNER_FOLDERS.map((folder) => ({
    name: `boundaries/src/${folder}`,
    files: [`src/${folder}/**/*.ts`],
    rules: boundaryRules(folder),
  })),
];

export default tseslint.config(
  { ignores: ['dist/**', 'lib/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  ...boundaryConfigs,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: { ...globals.node },
    },
  },
);
