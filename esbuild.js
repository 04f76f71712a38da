/**
 * Bundles what the VSIX ships: the extension (client/dist/extension.js), the
 * language server and its extraction worker (server/dist/), and next to them
 * the files those bundles load at run time but cannot contain: the two
 * tree-sitter WebAssembly files and the native addons for this platform.
 *
 *   node esbuild.js [--production] [--watch] [--out DIR]
 *
 * --out puts client/dist and server/dist under DIR instead of the repository
 * (the bundle tests build a throwaway copy).
 */
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

// Runtime packages are the server's dependencies: resolve them as the server does.
const fromServer = { paths: [path.join(__dirname, 'server')] };
const resolvePackage = (pkg) => path.dirname(require.resolve(`${pkg}/package.json`, fromServer));
const nodeGypBuild = require(require.resolve('node-gyp-build', { paths: [resolvePackage('tree-sitter')] }));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const outIndex = process.argv.indexOf('--out');
const outRoot = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : __dirname;
const serverDist = path.join(outRoot, 'server', 'dist');
const source = (file) => path.join(__dirname, file);

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
};

const builds = [
  {
    ...common,
    entryPoints: { extension: source('client/src/extension.ts') },
    outdir: path.join(outRoot, 'client', 'dist'),
    external: ['vscode'],
  },
  {
    ...common,
    // The engine starts workers from path.join(__dirname, 'extractWorker.js'): both bundles share a folder.
    entryPoints: { server: source('server/src/lsp/main.ts'), extractWorker: source('server/src/engine/worker/extractWorker.ts') },
    outdir: serverDist,
    // Native addons are found by node-gyp-build relative to their package: they stay packages (see stageNative).
    external: ['tree-sitter', 'tree-sitter-c'],
  },
];

/**
 * web-tree-sitter, once bundled, looks for its runtime next to the bundle
 * (`__dirname`). The C grammar's wasm is found with
 * `require.resolve('tree-sitter-c/tree-sitter-c.wasm')`, so it lives in the
 * staged tree-sitter-c package.
 */
function stageWasm() {
  fs.copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm', fromServer), path.join(serverDist, 'tree-sitter.wasm'));
}

/**
 * A minimal copy of the native packages under server/dist/node_modules, so
 * that `require('tree-sitter')` from the bundles resolves there: each
 * package's entry script and package.json, node-gyp-build (which they load
 * their addon with), and the one addon node-gyp-build picks on this machine
 * (a locally compiled build wins over the prebuild, as at install time).
 * Elsewhere the addon does not load and the server falls back to wasm.
 */
function stageNative() {
  const modules = path.join(serverDist, 'node_modules');
  fs.rmSync(modules, { recursive: true, force: true });
  const stage = (pkg, files) => {
    const from = resolvePackage(pkg);
    for (const file of ['package.json', ...files]) {
      const to = path.join(modules, pkg, path.relative(from, path.resolve(from, file)));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(path.resolve(from, file), to);
    }
  };
  const addon = (pkg) => nodeGypBuild.resolve(resolvePackage(pkg));
  stage('node-gyp-build', ['index.js', 'node-gyp-build.js']);
  stage('tree-sitter', ['index.js', addon('tree-sitter')]);
  stage('tree-sitter-c', ['bindings/node/index.js', addon('tree-sitter-c'), 'tree-sitter-c.wasm', 'src/node-types.json']);
}

async function main() {
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
    fs.mkdirSync(serverDist, { recursive: true });
    stageWasm();
    stageNative();
    console.log('esbuild: watching client/src and server/src');
    return;
  }
  await Promise.all(builds.map((options) => esbuild.build(options)));
  stageWasm();
  stageNative();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
