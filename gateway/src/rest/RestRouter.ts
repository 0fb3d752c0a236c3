// Finds the API a request belongs to (by path prefix, or by Host header at the documented root)
// and the route within it. Routes are compiled once into segment matchers.
import type { HttpMethod, RestApi, RestRoute } from './RestRoute.js';

interface CompiledRoute {
  route: RestRoute;
  segments: string[];
}

interface CompiledApi {
  api: RestApi;
  routes: CompiledRoute[];
}

export type RouteMatch =
  | { kind: 'route'; api: RestApi; route: RestRoute; params: Record<string, string> }
  /** The path is under the API but no route matches it (404) or not with this method (405). */
  | { kind: 'not-found'; api: RestApi }
  | { kind: 'method-not-allowed'; api: RestApi; allowed: HttpMethod[] };

const split = (p: string) => p.split('/').filter((s) => s !== '');

export class RestRouter {
  private readonly apis: CompiledApi[];

  constructor(apis: RestApi[]) {
    this.apis = apis.map((api) => ({ api, routes: api.routes.map((route) => ({ route, segments: split(route.path) })) }));
    // Longest prefix first, so `/v2` never shadows a more specific prefix.
    this.apis.sort((a, b) => Math.max(0, ...b.api.prefixes.map((p) => p.length)) - Math.max(0, ...a.api.prefixes.map((p) => p.length)));
  }

  match(method: string, host: string | undefined, pathname: string): RouteMatch | undefined {
    const hostname = host?.replace(/:\d+$/, '').toLowerCase();
    if (hostname) {
      for (const compiled of this.apis) {
        if (!compiled.api.hosts.some((h) => h.toLowerCase() === hostname)) continue;
        const bases = [...compiled.api.prefixes, compiled.api.hostBasePath ?? ''];
        for (const base of bases) {
          const rest = strip(base, pathname);
          if (rest !== undefined) return this.matchIn(compiled, method, rest);
        }
      }
    }
    for (const compiled of this.apis) {
      for (const prefix of compiled.api.prefixes) {
        const rest = strip(prefix, pathname);
        if (rest !== undefined) return this.matchIn(compiled, method, rest);
      }
    }
    return undefined;
  }

  private matchIn(compiled: CompiledApi, method: string, relative: string): RouteMatch {
    const parts = split(relative);
    const allowed: HttpMethod[] = [];
    for (const { route, segments } of compiled.routes) {
      const params = matchSegments(segments, parts);
      if (!params) continue;
      if (route.method === method) return { kind: 'route', api: compiled.api, route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', api: compiled.api, allowed } : { kind: 'not-found', api: compiled.api };
  }
}

function strip(prefix: string, pathname: string): string | undefined {
  const base = prefix.replace(/\/+$/, '');
  if (base === '') return pathname;
  if (pathname === base) return '/';
  if (pathname.startsWith(base + '/')) return pathname.slice(base.length);
  return undefined;
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const part = parts[i]!;
    if (p.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(part);
      } catch {
        return undefined;
      }
      params[p.slice(1)] = value;
    } else if (p !== part) return undefined;
  }
  return params;
}
