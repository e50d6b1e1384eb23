/**
 * The layering of the Isthmus workspace, checked file by file by dependency-cruiser
 * (`npm run lint:layers`, part of `npm run lint`; `npm test` runs it right after Biome).
 *
 *   libraries:  storage  <-  faas  <-  partition  <-  vectors, streams, graph  <-  pipeline
 *   apps/*      import libraries only (their tests also tools)
 *   tools/*     import libraries, apps and other tools
 *   test/       (cross-library tests) imports anything
 *
 * - Imports between libraries go downward only. A new folder under libs/ is a domain library
 *   (storage, faas and partition only) unless a rule below names it, as storage, faas, partition and pipeline are named.
 * - Shipped code (a library's src/, an app's bin/ and src/; tests live in test/)
 *   never imports tools/, test code or a devDependency; a library's tests may use tools.
 * - Packages import each other by package name only (`@isthmus/storage`), never by a relative path
 *   into another package's folder.
 * - Every import of a package (npm or workspace) is declared in the importing package's own
 *   package.json. (That nothing is declared that is not used is not checked: dependency-cruiser
 *   cannot, and some packages are used by resolving their files, not by importing them.)
 *
 * A violation reads `error <rule>: <importing file> → <imported file>`; the rule's `comment` below
 * says why and how to fix it. There is no list of tolerated violations: the tree passes as it is.
 * Workspace imports resolve to the packages' TypeScript sources (the `@isthmus/source` export
 * condition, as in the tests), so the check needs no build. tsconfig has no `paths`, so the
 * resolution needs no `tsConfig` option.
 */
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/** The root manifest's `workspaces` globs (`libs/*`, `test`) expanded to the folders holding a package.json. */
function workspacePackages() {
  const root = JSON.parse(readFileSync(join(__dirname, 'package.json'), 'utf8'));
  const dirs = root.workspaces.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [glob];
    const parent = glob.slice(0, -2);
    if (!existsSync(join(__dirname, parent))) return [];
    return readdirSync(join(__dirname, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
  return dirs
    .filter((dir) => existsSync(join(__dirname, dir, 'package.json')))
    .map((dir) => ({
      dir,
      manifest: JSON.parse(readFileSync(join(__dirname, dir, 'package.json'), 'utf8')),
    }));
}

const PACKAGES = workspacePackages();
const DIR_OF_PACKAGE = new Map(PACKAGES.map(({ dir, manifest }) => [manifest.name, dir]));
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A regular expression matching the files of the given package folders. */
const filesOf = (dirs) => `^(${dirs.map(escapeRegExp).join('|')})/`;

/** Test code: e2e tests, a package's test/ folder (with its fixtures and helpers), test files. */
const TEST_CODE = '(^|/)test/|\\.test\\.ts$';

/** Shipped code: everything in a library's src/ and an app's bin/ and src/ (tests live in test/). */
const SHIPPED_CODE = { path: ['^libs/[^/]+/src/', '^apps/[^/]+/(src|bin)/'] };

/** Workspace packages a package imports without declaring them in its package.json, one rule per package. */
const undeclaredWorkspaceDependencies = PACKAGES.flatMap(({ dir, manifest }) => {
  const declared = Object.keys({
    ...manifest.dependencies,
    ...manifest.devDependencies,
    ...manifest.optionalDependencies,
    ...manifest.peerDependencies,
  });
  const undeclared = PACKAGES.map((other) => other.dir).filter(
    (other) => other !== dir && !declared.some((name) => DIR_OF_PACKAGE.get(name) === other),
  );
  if (undeclared.length === 0) return [];
  return [
    {
      name: 'workspace-dependency-not-declared',
      severity: 'error',
      comment:
        `${manifest.name} (${dir}) imports a workspace package its package.json does not declare. ` +
        'Declare it (`dependencies` when shipped code imports it, `devDependencies` when only tests, ' +
        'examples or benches do), so npm links it, Nx orders the builds and a published package works.',
      from: { path: `^${escapeRegExp(dir)}/` },
      to: { path: filesOf(undeclared), dependencyTypesNot: ['local'] },
    },
  ];
});

/**
 * Libraries and apps a library or app declares only as devDependencies, which its shipped code must
 * not import (dependency-cruiser's `npm-dev` type does not cover workspace packages, which resolve to
 * their folders, not to node_modules; tools/ are covered by `shipped-code-not-to-tools-or-tests`).
 */
const shippedWorkspaceDevDependencies = PACKAGES.filter(({ dir }) => /^(libs|apps)\//.test(dir)).flatMap(
  ({ dir, manifest }) => {
    const devOnly = Object.keys(manifest.devDependencies ?? {})
      .filter((name) => !(name in (manifest.dependencies ?? {})))
      .map((name) => DIR_OF_PACKAGE.get(name))
      .filter((other) => other !== undefined && /^(libs|apps)\//.test(other));
    if (devOnly.length === 0) return [];
    return [
      {
        name: 'shipped-code-not-to-dev-dependencies',
        severity: 'error',
        comment:
          `Shipped code of ${manifest.name} imports a workspace package that is only a devDependency ` +
          '(installed for development, absent for users). Move the import to test code, or make it a dependency.',
        from: { path: [`^${escapeRegExp(dir)}/src/`, `^${escapeRegExp(dir)}/bin/`] },
        to: { path: filesOf(devOnly), dependencyTypesNot: ['local'] },
      },
    ];
  },
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'storage-imports-no-other-library',
      severity: 'error',
      comment:
        '@isthmus/storage is the bottom layer: it imports no other library (every library builds on it). ' +
        'Move the code that needs the other library up into that library, or invert the dependency.',
      from: { path: '^libs/storage/' },
      to: { path: '^libs/', pathNot: '^libs/storage/' },
    },
    {
      name: 'faas-imports-only-storage',
      severity: 'error',
      comment:
        '@isthmus/faas sits on @isthmus/storage only; partition, vectors, streams, graph and pipeline build ' +
        'on it. Move the code that needs a higher library up into it, or take it as an argument.',
      from: { path: '^libs/faas/' },
      to: { path: '^libs/', pathNot: '^libs/(storage|faas)/' },
    },
    {
      name: 'partition-imports-only-storage-and-faas',
      severity: 'error',
      comment:
        '@isthmus/partition reads files for the AI data types above it (vectors splits big documents with its ' +
        'text formats, streams serves history as partitions): it builds on @isthmus/storage and @isthmus/faas only.',
      from: { path: '^libs/partition/' },
      to: { path: '^libs/', pathNot: '^libs/(storage|faas|partition)/' },
    },
    {
      name: 'domain-library-imports-only-storage-faas-and-partition',
      severity: 'error',
      comment:
        'A domain library (vectors, streams, graph: every library but storage, faas, partition and pipeline) ' +
        'builds on @isthmus/storage, @isthmus/faas and @isthmus/partition only, never on another domain ' +
        'library or pipeline. Combining domain libraries is @isthmus/pipeline’s or an app’s job.',
      from: { path: '^libs/(?!storage/|faas/|partition/|pipeline/)([^/]+)/' },
      to: { path: '^libs/', pathNot: '^libs/(storage|faas|partition|$1)/' },
    },
    {
      name: 'library-not-to-apps-or-e2e-tests',
      severity: 'error',
      comment:
        'Libraries sit below the apps and the cross-library tests (test/): no code of a library, ' +
        'not even its tests, imports them. Test the library through its own API in libs/<lib>/test.',
      from: { path: '^libs/' },
      to: { path: '^(apps|test)/' },
    },
    {
      name: 'app-imports-only-libraries',
      severity: 'error',
      comment:
        'An app builds on libraries only: it does not import another app or the cross-library tests (test/). ' +
        'Move shared code into a library.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^(apps|test)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'tool-not-to-e2e-tests',
      severity: 'error',
      comment:
        'Tools (services, fixtures, bench, demo) may use libraries, apps and other tools, never the ' +
        'cross-library tests in test/: move what both need into a tool (e.g. @isthmus/fixtures).',
      from: { path: '^tools/' },
      to: { path: '^test/' },
    },
    {
      name: 'shipped-code-not-to-tools-or-tests',
      severity: 'error',
      comment:
        'Shipped code (a library’s src/, an app’s bin/ and src/) is what users install: it never ' +
        'imports tools/ (services, fixtures: not published) or test code (test/ folders, *.test.ts). Move the importing file to the package’s test/ folder, or take what ' +
        'it needs as an argument (as the `testing` exports do).',
      from: SHIPPED_CODE,
      to: { path: ['^tools/', TEST_CODE] },
    },
    {
      name: 'shipped-code-not-to-dev-dependencies',
      severity: 'error',
      comment:
        'Shipped code imports an npm package that its package.json lists under devDependencies, which ' +
        'users do not get. Make it a dependency (or an optional peerDependency for `testing` exports), ' +
        'or move the importing code to the package’s test/ folder.',
      from: SHIPPED_CODE,
      // An optional peer dependency a `testing` export needs is also a devDependency (for the tests).
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['npm-peer'] },
    },
    ...shippedWorkspaceDevDependencies,
    {
      name: 'no-relative-import-across-packages',
      severity: 'error',
      comment:
        'A relative path into another workspace package (`../../libs/faas/src/...`) bypasses its exports ' +
        'and its package.json: import it by package name (`@isthmus/faas`, or a subpath it exports). ' +
        'If what you need is not exported, export it from that package or move it there.',
      from: { path: filesOf(PACKAGES.map(({ dir }) => dir)) },
      to: {
        path: filesOf(PACKAGES.map(({ dir }) => dir)),
        pathNot: '^$1/',
        dependencyTypes: ['local'],
      },
    },
    ...undeclaredWorkspaceDependencies,
    {
      name: 'no-non-package-json',
      severity: 'error',
      comment:
        'This file imports an npm package that the closest package.json (its own package’s) does not ' +
        'declare; it only works because npm hoisted it from elsewhere. Declare it in that package.json ' +
        '(`npm install <pkg> -w <package folder>`, with -D when only tests, examples or benches use it).',
      from: {},
      // dependency-cruiser also tags a declared optional peer dependency (one with
      // `peerDependenciesMeta`) npm-no-pkg: a declared kind of dependency wins.
      to: {
        dependencyTypes: ['npm-no-pkg', 'npm-unknown'],
        dependencyTypesNot: ['npm', 'npm-dev', 'npm-peer', 'npm-optional'],
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'This import resolves to no file (with the `@isthmus/source` condition, as the tests and ' +
        'typecheck resolve it). Fix the path or the specifier, export the subpath from the package, ' +
        'or declare and install the npm package.',
      from: {},
      // a package's bin loads its own build output (../dist/), which this check runs without
      to: { couldNotResolve: true, pathNot: '^\\.\\./dist/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'These files import each other (directly or through others): neither can be understood, tested ' +
        'or loaded alone. Move what both need into a third file. A cycle through a dynamic import is ' +
        'allowed: that is how a registry loads plug-ins that register themselves with it on first use.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['dynamic-import'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(libs|apps|tools)/[^/]+/dist/' },
    // type-only imports count too: a type from a higher layer is a dependency on it
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@isthmus/source', 'import', 'node', 'types', 'default'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
