// Parsing with a token budget: graphql-js stops lexing at `maxTokens` (before building the rest of
// the AST), so a 200 KB alias flood costs microseconds, not seconds. A document parsed elsewhere
// is counted from its token list when it kept locations.
import { TokenKind, parse, type DocumentNode, type Token } from 'graphql';
import { refuse, type DemandRefusal } from './DemandRefusal.js';

const TOKEN_LIMIT = /Document contains more that? (\d+) tokens/;

function tooManyTokens(limit: number, plan: string, found?: number): DemandRefusal {
  const seen = found === undefined ? '' : ` (found ${found})`;
  return refuse('TOO_MANY_TOKENS', `The document has more than the ${plan} plan's ${limit} tokens${seen}.`, { limit, found, plan });
}

/** Tokens of a document parsed with locations (comments excluded, as the parser counts them). */
export function countTokens(document: DocumentNode): number | undefined {
  let token: Token | null | undefined = document.loc?.startToken;
  if (!token) return undefined;
  let n = 0;
  for (; token && token.kind !== TokenKind.EOF; token = token.next) {
    if (token.kind !== TokenKind.SOF && token.kind !== TokenKind.COMMENT) n++;
  }
  return n;
}

export function parseBounded(source: string | DocumentNode, maxTokens: number, plan: string): DocumentNode | DemandRefusal {
  if (typeof source !== 'string') {
    const n = countTokens(source);
    return n !== undefined && n > maxTokens ? tooManyTokens(maxTokens, plan, n) : source;
  }
  try {
    return parse(source, { maxTokens });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (TOKEN_LIMIT.test(message)) return tooManyTokens(maxTokens, plan);
    // The parser recurses per nesting level; a document deep enough to exhaust the stack is too deep.
    if (error instanceof RangeError) return refuse('QUERY_TOO_DEEP', 'The document nests too deeply to parse.', { plan });
    return refuse('GRAPHQL_PARSE_FAILED', message, {});
  }
}
