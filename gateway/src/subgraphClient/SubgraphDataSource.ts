// Every subgraph fetch carries the request's principal, signed with the shared secret, and its
// request id. A request without a principal in its context never leaves the gateway.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { PRINCIPAL_HEADER } from '../../../platform/src/principal.js';
import { signPrincipal } from '../../../platform/src/principalHeader.js';
import { JunctionError } from '../../../platform/src/errors.js';
import type { GatewayContext } from '../GatewayContext.js';
import { subgraphFetcher } from './subgraphFetcher.js';

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly secret: string;

  constructor(config: { url: string; secret: string }) {
    // undici keep-alive pools, without fetch's per-request stream machinery (see performance/).
    super({ url: config.url, fetcher: subgraphFetcher });
    this.secret = config.secret;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const principal = (context as Partial<GatewayContext>).principal;
    if (!principal) throw new JunctionError('UNAUTHORIZED', 'No principal for a subgraph request');
    request.http?.headers.set(PRINCIPAL_HEADER, signPrincipal(principal, this.secret));
    request.http?.headers.set('x-request-id', principal.requestId);
  }
}
