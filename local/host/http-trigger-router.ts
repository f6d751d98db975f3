/** Builds the route table from captured httpTrigger registrations and finds the function for a request. */
import type { Registration } from './functions-core-shim.js';
import type { AuthLevel } from './function-keys.js';
import { compareRoutes, matchRoute, parseRouteTemplate, type RouteTemplate } from './route-template.js';

export interface HttpRoute {
  readonly registration: Registration;
  readonly triggerName: string;
  readonly template: RouteTemplate;
  readonly methods: ReadonlySet<string>;
  readonly authLevel: AuthLevel;
}

export type RouteLookup =
  | { kind: 'match'; route: HttpRoute; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

export function buildHttpRoutes(registrations: readonly Registration[]): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const registration of registrations) {
    for (const [triggerName, binding] of Object.entries(registration.metadata.bindings)) {
      if (binding.type.toLowerCase() !== 'httptrigger') continue;
      const route = typeof binding.route === 'string' ? binding.route : registration.metadata.name;
      const methods = Array.isArray(binding.methods) ? (binding.methods as string[]) : ['GET', 'POST'];
      const level = (typeof binding.authLevel === 'string' ? binding.authLevel : 'anonymous').toLowerCase();
      if (level !== 'anonymous' && level !== 'function' && level !== 'admin') {
        throw new Error(`Function "${registration.metadata.name}": unknown authLevel "${level}".`);
      }
      routes.push({
        registration,
        triggerName,
        template: parseRouteTemplate(route),
        methods: new Set(methods.map((m) => m.toUpperCase())),
        authLevel: level,
      });
    }
  }
  return routes.sort((a, b) => compareRoutes(a.template, b.template));
}

export function findRoute(routes: readonly HttpRoute[], method: string, path: string): RouteLookup {
  const allowed = new Set<string>();
  for (const route of routes) {
    const params = matchRoute(route.template, path);
    if (!params) continue;
    if (route.methods.has(method) || (method === 'HEAD' && route.methods.has('GET'))) return { kind: 'match', route, params };
    for (const m of route.methods) allowed.add(m);
  }
  return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed].sort() } : { kind: 'not-found' };
}
