/**
 * Dependency direction from docs/architecture.md (and ../shared/DESIGN.md).
 * `npm run depcheck` fails the test run when any rule is broken.
 */
const IO_MODULES = '^(@azure/|durable-functions|ccxt|node:(fs|net|http|https|child_process|worker_threads|dgram|tls|crypto)|fs$|net$|http$|https$|child_process$|worker_threads$|crypto$)';
const PURE_CORE = '^shared/(core|trading|domain|risk|bots|market)/';
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'The pure core (shared/core, trading, domain, risk, bots, market) imports no I/O: no Azure SDK, no ccxt, no fs/net/crypto.',
      severity: 'error',
      from: { path: PURE_CORE },
      to: { dependencyTypesNot: ['type-only'], path: IO_MODULES },
    },
    {
      name: 'core-imports-only-core',
      comment: 'The pure core may not reach into adapters, config, or CLIs in shared/.',
      severity: 'error',
      from: { path: PURE_CORE },
      to: { path: '^shared/', pathNot: PURE_CORE },
    },
    {
      name: 'deployables-are-independent',
      comment: 'functions/, durable/, gateway/ import shared/, never each other.',
      severity: 'error',
      from: { path: '^(functions|durable|gateway)/' },
      to: { path: '^(functions|durable|gateway|local|site|test|bench)/', pathNot: '^$1/' },
    },
    {
      name: 'shared-imports-no-deployable',
      comment: 'shared/ is a library: it never imports a deployable, the host, or tests.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(functions|durable|gateway|local|site|test|bench)/' },
    },
    {
      name: 'site-is-browser-safe',
      comment: 'site/ imports only browser-safe schemas and types from shared/ (shared/core, shared/schemas, shared/trading).',
      severity: 'error',
      from: { path: '^site/' },
      to: { path: '^(shared/(?!core/|schemas/|trading/)|functions/|durable/|gateway/|local/|node:)' },
    },
    {
      name: 'site-no-node-builtins',
      severity: 'error',
      from: { path: '^site/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^node_modules/|\\.d\\.ts$)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
  },
};
