// The `@cost` / `@listSize` applications of a schema (IBM GraphQL Cost Directive spec, as Apollo
// Federation 2.9+ ships it). Read from the SDL, because the API schema the gateway serves drops
// them: composition keeps them in the supergraph under the names its
// `@link(url: "https://specs.apollo.dev/cost/v0.1", import: [...])` gives (`@cost`, `@listSize`);
// a subgraph SDL imports them from the federation spec; a plain schema just declares them.
import { Kind, parse, type ConstDirectiveNode, type ConstValueNode, type DocumentNode } from 'graphql';

export interface ListSizeAnnotation {
  assumedSize: number | undefined;
  slicingArguments: string[];
  sizedFields: string[];
  requireOneSlicingArgument: boolean;
}

const COST_SPEC = 'https://specs.apollo.dev/cost/';
const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/';

interface DirectiveNames {
  cost: string;
  listSize: string;
}

function stringValue(node: ConstValueNode | undefined): string | undefined {
  return node?.kind === Kind.STRING ? node.value : undefined;
}

function numberValue(node: ConstValueNode | undefined): number | undefined {
  // Apollo declares `weight: Int!`; the IBM text declares `weight: String!` ("2.5"): take both.
  if (node?.kind === Kind.INT || node?.kind === Kind.FLOAT || node?.kind === Kind.STRING) {
    const n = Number(node.value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function stringList(node: ConstValueNode | undefined): string[] {
  if (node?.kind === Kind.LIST) return node.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
  return node?.kind === Kind.STRING ? [node.value] : [];
}

function argument(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((a) => a.name.value === name)?.value;
}

/** The names `@cost` and `@listSize` go by in this SDL, from its `@link`s. */
function directiveNames(document: DocumentNode): DirectiveNames {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = stringValue(argument(link, 'url')) ?? '';
      const isCost = url.startsWith(COST_SPEC);
      if (!isCost && !url.startsWith(FEDERATION_SPEC)) continue;
      const feature = stringValue(argument(link, 'as')) ?? (isCost ? 'cost' : 'federation');
      const imports = new Map<string, string>();
      const list = argument(link, 'import');
      for (const item of list?.kind === Kind.LIST ? list.values : []) {
        if (item.kind === Kind.STRING) imports.set(item.value, item.value);
        if (item.kind === Kind.OBJECT) {
          const name = stringValue(item.fields.find((f) => f.name.value === 'name')?.value);
          const as = stringValue(item.fields.find((f) => f.name.value === 'as')?.value);
          if (name) imports.set(name, as ?? name);
        }
      }
      const named = (directive: string, own: boolean) =>
        (imports.get(`@${directive}`) ?? (own ? `@${feature}` : `@${feature}__${directive}`)).replace(/^@/, '');
      if (isCost) return { cost: named('cost', true), listSize: named('listSize', false) };
      if (imports.has('@cost') || imports.has('@listSize')) return { cost: named('cost', false), listSize: named('listSize', false) };
    }
  }
  return { cost: 'cost', listSize: 'listSize' };
}

export class CostAnnotations {
  private readonly typeWeights = new Map<string, number>();
  private readonly fieldWeights = new Map<string, number>();
  private readonly listSizes = new Map<string, ListSizeAnnotation>();
  private readonly argumentWeights = new Map<string, number>();

  static fromSdl(sdl: string | DocumentNode): CostAnnotations {
    return new CostAnnotations(typeof sdl === 'string' ? parse(sdl, { noLocation: true }) : sdl);
  }

  private constructor(document: DocumentNode) {
    const names = directiveNames(document);
    const weightOf = (directives: readonly ConstDirectiveNode[] | undefined) => {
      const cost = directives?.find((d) => d.name.value === names.cost);
      return cost ? numberValue(argument(cost, 'weight')) : undefined;
    };
    const put = (map: Map<string, number>, key: string, weight: number | undefined) => {
      if (weight !== undefined) map.set(key, weight);
    };
    for (const definition of document.definitions) {
      switch (definition.kind) {
        case Kind.OBJECT_TYPE_DEFINITION:
        case Kind.OBJECT_TYPE_EXTENSION:
        case Kind.INTERFACE_TYPE_DEFINITION:
        case Kind.INTERFACE_TYPE_EXTENSION: {
          const type = definition.name.value;
          put(this.typeWeights, type, weightOf(definition.directives));
          for (const field of definition.fields ?? []) {
            const key = `${type}.${field.name.value}`;
            put(this.fieldWeights, key, weightOf(field.directives));
            const listSize = field.directives?.find((d) => d.name.value === names.listSize);
            if (listSize) {
              const require = argument(listSize, 'requireOneSlicingArgument');
              this.listSizes.set(key, {
                assumedSize: numberValue(argument(listSize, 'assumedSize')),
                slicingArguments: stringList(argument(listSize, 'slicingArguments')),
                sizedFields: stringList(argument(listSize, 'sizedFields')),
                requireOneSlicingArgument: require?.kind === Kind.BOOLEAN ? require.value : true,
              });
            }
            for (const arg of field.arguments ?? []) put(this.argumentWeights, `${key}(${arg.name.value}:)`, weightOf(arg.directives));
          }
          break;
        }
        case Kind.INPUT_OBJECT_TYPE_DEFINITION:
        case Kind.INPUT_OBJECT_TYPE_EXTENSION:
          put(this.typeWeights, definition.name.value, weightOf(definition.directives));
          for (const field of definition.fields ?? []) put(this.argumentWeights, `${definition.name.value}.${field.name.value}`, weightOf(field.directives));
          break;
        case Kind.SCALAR_TYPE_DEFINITION:
        case Kind.SCALAR_TYPE_EXTENSION:
        case Kind.ENUM_TYPE_DEFINITION:
        case Kind.ENUM_TYPE_EXTENSION:
          put(this.typeWeights, definition.name.value, weightOf(definition.directives));
          break;
        default:
          break;
      }
    }
  }

  /** `@cost` on an object, scalar, enum or input type. */
  typeWeight(type: string): number | undefined {
    return this.typeWeights.get(type);
  }

  /** `@cost` on a field definition. */
  fieldWeight(type: string, field: string): number | undefined {
    return this.fieldWeights.get(`${type}.${field}`);
  }

  listSize(type: string, field: string): ListSizeAnnotation | undefined {
    return this.listSizes.get(`${type}.${field}`);
  }

  /** `@cost` on a field argument. */
  argumentWeight(type: string, field: string, arg: string): number | undefined {
    return this.argumentWeights.get(`${type}.${field}(${arg}:)`);
  }

  /** `@cost` on an input object field. */
  inputFieldWeight(inputType: string, field: string): number | undefined {
    return this.argumentWeights.get(`${inputType}.${field}`);
  }

  /** How many applications were read (a supergraph without annotations gives 0). */
  get size(): number {
    return this.typeWeights.size + this.fieldWeights.size + this.listSizes.size + this.argumentWeights.size;
  }
}
