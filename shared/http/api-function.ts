/**
 * What a function file registers: `app.http(name, apiFunction(runtime, { methods, route, auth, body, handle }))`.
 * authLevel is anonymous because the edge authenticates (principal or API token) and answers 401 itself.
 */
import type { HttpFunctionOptions, HttpMethod } from '@azure/functions';
import { createApiHandler, type ApiEndpointSpec } from './api-handler.js';
import { apiEdgeDeps, type ApiServices, type FunctionRuntime } from './api-services.js';

export interface ApiFunctionSpec<B, Q, P> extends ApiEndpointSpec<B, Q, P, ApiServices> {
  readonly methods: HttpMethod[];
  readonly route: string;
}

export function apiFunction<B, Q, P>(runtime: FunctionRuntime, spec: ApiFunctionSpec<B, Q, P>): HttpFunctionOptions {
  return {
    methods: spec.methods,
    route: spec.route,
    authLevel: 'anonymous',
    handler: createApiHandler(spec, () => apiEdgeDeps(runtime)),
  };
}
