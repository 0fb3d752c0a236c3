// Shape limits of a parsed document: depth, aliases and directives through graphql-armor's rules
// (run alone through graphql-js `validate`, before the full validation), root fields counted here.
// Every operation of the document is checked, fragments expanded at each spread.
import { Kind, validate, type DocumentNode, type FragmentDefinitionNode, type GraphQLError, type GraphQLSchema, type SelectionSetNode, type ValidationRule } from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { DemandLimits } from './demandLimits.js';
import { refuse, type DemandErrorCode, type DemandRefusal } from './DemandRefusal.js';
import { fragmentsOf } from './estimateCost.js';

type Shape = 'depth' | 'aliases' | 'directives';

const CODES: Record<Shape, DemandErrorCode> = { depth: 'QUERY_TOO_DEEP', aliases: 'TOO_MANY_ALIASES', directives: 'TOO_MANY_DIRECTIVES' };
const WORDS: Record<Shape, string> = { depth: 'depth', aliases: 'aliases', directives: 'directives' };

/** Root fields of one selection set, spreads expanded (memoised per fragment; cycles count 0). */
function countRootFields(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, memo: Map<string, number>): number {
  let n = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) n += selection.name.value === '__typename' ? 0 : 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) n += countRootFields(selection.selectionSet, fragments, memo);
    else {
      const name = selection.name.value;
      const known = memo.get(name);
      if (known !== undefined) {
        n += known;
        continue;
      }
      const fragment = fragments.get(name);
      if (!fragment) continue;
      memo.set(name, 0);
      const count = countRootFields(fragment.selectionSet, fragments, memo);
      memo.set(name, count);
      n += count;
    }
  }
  return n;
}

export function checkShape(schema: GraphQLSchema, document: DocumentNode, limits: DemandLimits, plan: string): DemandRefusal | undefined {
  const found: { shape: Shape; limit: number; count: number | undefined }[] = [];
  const onReject = (shape: Shape, limit: number) => [
    (_: unknown, error: GraphQLError) => found.push({ shape, limit, count: Number(/found (\d+)/.exec(error.message)?.[1]) || undefined }),
  ];
  const rules: ValidationRule[] = [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, propagateOnRejection: false, onReject: onReject('depth', limits.maxDepth) }),
    maxAliasesRule({ n: limits.maxAliases, propagateOnRejection: false, onReject: onReject('aliases', limits.maxAliases) }),
    maxDirectivesRule({ n: limits.maxDirectives, propagateOnRejection: false, onReject: onReject('directives', limits.maxDirectives) }),
  ];
  validate(schema, document, rules);
  const first = found[0];
  if (first) {
    const seen = first.count === undefined ? '' : ` (found ${first.count})`;
    return refuse(CODES[first.shape], `The operation exceeds the ${plan} plan's limit of ${first.limit} for ${WORDS[first.shape]}${seen}.`, { limit: first.limit, found: first.count, plan });
  }
  const fragments = fragmentsOf(document);
  const memo = new Map<string, number>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const count = countRootFields(definition.selectionSet, fragments, memo);
    if (count > limits.maxRootFields) {
      return refuse('TOO_MANY_ROOT_FIELDS', `The operation selects ${count} root fields; the ${plan} plan allows ${limits.maxRootFields}.`, { limit: limits.maxRootFields, found: count, plan });
    }
  }
  return undefined;
}
