// Layer boundaries are enforced here, not by convention (see ARCHITECTURE.md, "Where things live").
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)]

const NATIVE_AND_RUNTIME = ['onnxruntime-node', 'onnxruntime-web', 'onnxruntime-common', 'better-sqlite3', 'sharp', 'ws']
const UI = ['react', 'react-dom', 'react-dom/*', 'react/*', 'konva', 'konva/*', 'react-konva']

const restrict = (message, names, patterns = []) => ({
  paths: names.filter((name) => !name.includes('*')).map((name) => ({ name, message })),
  patterns: [
    ...names.filter((name) => name.includes('*')).map((group) => ({ group: [group], message })),
    ...patterns,
  ],
})

const rule = (...groups) => [
  'error',
  {
    paths: groups.flatMap((group) => group.paths),
    patterns: groups.flatMap((group) => group.patterns),
  },
]

const commonIsPure = restrict(
  'src/common is pure: no electron, Node built-ins, DOM, React, Konva, onnxruntime or native modules.',
  ['electron', ...nodeBuiltins, ...NATIVE_AND_RUNTIME, ...UI],
  [{ group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**'], message: 'src/common imports only src/common.' }],
)
const rendererIsSandboxed = restrict(
  'src/renderer runs in a sandboxed page: no Node or Electron modules; ask the studio core through services/studioClient.',
  ['electron', ...nodeBuiltins, ...NATIVE_AND_RUNTIME],
  [{ group: ['**/main/**', '**/preload/**', '**/cli/**'], message: 'the renderer imports only src/common and its own code.' }],
)
const servicesHaveNoElectron = restrict(
  'src/main/services, api and server also run in the CLI and browser mode: no electron import.',
  ['electron'],
)
// Inside src/main, imports point one way: api -> services -> services/store, never back.
// Relative paths are matched by their leading '../' run, so src/common's folders never match.
const servicesDoNotImportHosts = {
  paths: [],
  patterns: [
    {
      regex: '^(\\.\\./)+(api|server|electron|cli)(/|$)',
      message: 'src/main/services is used by the API, the server, Electron and the CLI, never the other way round: do not import them.',
    },
  ],
}
const apiDoesNotImportHosts = {
  paths: [],
  patterns: [
    {
      regex: '^(\\.\\./)+(server|electron|cli)(/|$)',
      message: 'src/main/api is the core the hosts (server, Electron, CLI) build on: it does not import them.',
    },
  ],
}
// Pure helpers in other services that the store may import ('folder/file' under src/main/services); none today.
const STORE_MAY_IMPORT = []
/**
 * The store imports src/common and itself only. A file `depth` folders below store/ leaves the store
 * with depth + 1 '../' (another service) or depth + 2 (src/main/*); three or more reach src/common.
 */
const storeImportsNoServices = (depth) => {
  const up = (n) => `(\\.\\./){${n}}`
  const allowed = STORE_MAY_IMPORT.length ? `(?!${up(depth + 1)}(${STORE_MAY_IMPORT.join('|')})$)` : ''
  return {
    paths: [],
    patterns: [
      {
        regex: `^${allowed}(\\.\\./){${depth + 1},${depth + 2}}(?!\\.\\./|store/)`,
        message: 'src/main/services/store is the bottom layer: it imports src/common and itself only (and the pure helpers in STORE_MAY_IMPORT).',
      },
    ],
  }
}
const editorIsFrameworkFree = restrict('renderer/src/editor is framework-free: no React or Konva.', UI)
const STORE_OWNS_SQL = 'SQL lives in src/main/services/store: use its typed API (repositories, Project.openExportSnapshot, Project.beginImport) through store/index.'
const storeOwnsSql = restrict(STORE_OWNS_SQL, ['better-sqlite3'], [{ group: ['**/store/**', '!**/store/index'], message: STORE_OWNS_SQL }])
// Also refused outside the store: the raw connection (project.db), the store's SQL-level insert,
// and SQL text itself (a statement keyword opening a string), so a schema change touches store/ only.
const SQL_TEXT = '/^\\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|BEGIN|COMMIT|ROLLBACK|WITH)\\s/'
const noSqlOutsideStore = [
  'error',
  { selector: 'MemberExpression[property.name=/^(db|importSelect)$/]', message: STORE_OWNS_SQL },
  { selector: `Literal[value=${SQL_TEXT}]`, message: STORE_OWNS_SQL },
  { selector: `TemplateElement[value.raw=${SQL_TEXT}]`, message: STORE_OWNS_SQL },
]
const NO_SERVER_IN_DESKTOP = 'the desktop app does not import the browser-mode server; what both serve lives in src/main/services/web or src/main/api.'
const desktopHasNoServer = restrict(NO_SERVER_IN_DESKTOP, [], [{ group: ['**/server/*', '**/server'], message: NO_SERVER_IN_DESKTOP }])

const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'HTMLElement', 'fetch']

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-artifacts/**', 'coverage/**', 'native/**', 'resources/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/common/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': rule(commonIsPure),
      'no-restricted-globals': ['error', ...DOM_GLOBALS, 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': rule(rendererIsSandboxed), 'no-restricted-globals': ['error', 'process', 'Buffer', 'require'] },
  },
  {
    files: ['src/renderer/src/editor/**/*.ts'],
    rules: { 'no-restricted-imports': rule(rendererIsSandboxed, editorIsFrameworkFree) },
  },
  {
    files: ['src/main/**/*.ts', 'src/cli/**/*.ts'],
    ignores: ['src/main/electron/**', 'src/main/index.ts'],
    rules: { 'no-restricted-imports': rule(servicesHaveNoElectron) },
  },
  {
    files: ['src/main/**/*.ts', 'src/cli/**/*.ts'],
    ignores: ['src/main/services/store/**', 'src/main/electron/**', 'src/main/index.ts'],
    rules: { 'no-restricted-imports': rule(servicesHaveNoElectron, storeOwnsSql), 'no-restricted-syntax': noSqlOutsideStore },
  },
  {
    files: ['src/main/electron/**/*.ts', 'src/main/index.ts'],
    rules: { 'no-restricted-imports': rule(storeOwnsSql, desktopHasNoServer), 'no-restricted-syntax': noSqlOutsideStore },
  },
  {
    files: ['src/main/api/**/*.ts'],
    rules: { 'no-restricted-imports': rule(servicesHaveNoElectron, apiDoesNotImportHosts, storeOwnsSql) },
  },
  {
    files: ['src/main/services/**/*.ts'],
    ignores: ['src/main/services/store/**'],
    rules: { 'no-restricted-imports': rule(servicesHaveNoElectron, servicesDoNotImportHosts, storeOwnsSql) },
  },
  ...[0, 1, 2].map((depth) => ({
    files: [`src/main/services/store/${'*/'.repeat(depth)}*.ts`],
    rules: { 'no-restricted-imports': rule(servicesHaveNoElectron, servicesDoNotImportHosts, storeImportsNoServices(depth)) },
  })),
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': rule(
        restrict('the preload imports only electron and src/common.', [...nodeBuiltins, ...NATIVE_AND_RUNTIME, ...UI], [
          { group: ['**/main/**', '**/renderer/**', '**/cli/**'], message: 'the preload imports only electron and src/common.' },
        ]),
      ),
    },
  },
)
