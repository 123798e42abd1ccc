import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * The cost of an operation: graphql-armor's cost model (a scalar field costs 1, an object field 2
 * plus 1.5 times what it selects, fragments flattened), except for how connections count their
 * items. A connection's `nodes` and `edges` count once per item it may return: its `first`/`last`,
 * written in the document or passed as a variable, and without either its default page — the
 * whole list up to MAX_PAGE_SIZE (`history`, `artifacts`, `forks`), or the declared smaller page
 * (`defaultPageSize`, e.g. `sessions`). Its `totalCount` and `pageInfo` count once.
 *
 * Why not armor's own costLimit: it reads only a `first`/`last` written as a literal, so a page
 * asked through a variable, or left to its default, cost one item however many rows it returns
 * (15 aliases of a 10,000-message history passed as 15 items). Its rule knows no schema and no
 * variables, and it runs at validation, where variable values are not known: this one runs once
 * the operation and its variables are (before any resolver), and is cached per document when no
 * variable decides a page.
 */

const SCALAR_COST = 1;
const OBJECT_COST = 2;
const DEPTH_FACTOR = 1.5;
/** The fields of a connection whose selections are repeated once per item. */
const ITEM_FIELDS = new Set(['nodes', 'edges']);
const PAGE_ARGS = ['first', 'last'] as const;

export interface OperationCost {
  cost: number;
  /** The connections (`Type.field`) read without `first`/`last`, and the items each was counted as. */
  defaulted: Map<string, number>;
  /** Whether a variable decided a page size (the cost then holds for these variables only). */
  dependsOnVariables: boolean;
}

/** The default page of a connection field: its declared `defaultPageSize`, else the whole list (at most `maxPageSize`). */
function defaultPageOf(field: GraphQLField<unknown, unknown>, maxPageSize: number): number {
  const declared = field.extensions?.defaultPageSize;
  return typeof declared === 'number' && declared >= 0 ? Math.min(declared, maxPageSize) : maxPageSize;
}

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  maxPageSize: number,
): OperationCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const defaultValues = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaultValues.set(definition.variable.name.value, definition.defaultValue);
  }
  const defaulted = new Map<string, number>();
  let dependsOnVariables = false;

  /** An Int argument's value: a literal, or a variable's value or default; null when absent or null. */
  function intArg(node: FieldNode, name: string): number | null {
    const value = node.arguments?.find((arg) => arg.name.value === name)?.value;
    if (!value) return null;
    let literal: ValueNode | undefined = value;
    if (value.kind === Kind.VARIABLE) {
      dependsOnVariables = true;
      const given = variables?.[value.name.value];
      if (given !== undefined) return typeof given === 'number' && Number.isFinite(given) ? given : null;
      literal = defaultValues.get(value.name.value);
    }
    return literal?.kind === Kind.INT ? Number.parseInt(literal.value, 10) : null;
  }

  /** How many items a connection field may return, as asked; a size above the ceiling is refused by the field itself. */
  function pageSize(node: FieldNode, field: GraphQLField<unknown, unknown>, parent: GraphQLNamedType): number {
    for (const name of PAGE_ARGS) {
      const size = intArg(node, name);
      if (size !== null) return Math.min(Math.max(size, 0), maxPageSize);
    }
    const size = defaultPageOf(field, maxPageSize);
    defaulted.set(`${parent.name}.${field.name}`, size);
    return size;
  }

  /** What a selection set costs on `type`, fragments flattened; `perItem` multiplies the item fields of a connection. */
  function selectionsCost(type: GraphQLNamedType | undefined, selectionSet: SelectionSetNode, perItem: number | null): number {
    let cost = 0;
    // A fragment spread twice in one selection set is counted once: its fields merge. (Validation,
    // which ran before, refuses fragment cycles.)
    const spread = new Set<string>();
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const times = perItem !== null && ITEM_FIELDS.has(selection.name.value) ? perItem : 1;
        cost += times * fieldCost(type, selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        cost += selectionsCost(on ?? undefined, selection.selectionSet, perItem);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || spread.has(fragment.name.value)) continue;
        spread.add(fragment.name.value);
        cost += selectionsCost(schema.getType(fragment.typeCondition.name.value) ?? undefined, fragment.selectionSet, perItem);
      }
    }
    return cost;
  }

  function fieldCost(parent: GraphQLNamedType | undefined, node: FieldNode): number {
    const name = node.name.value;
    // Introspection is allowed or refused on its own (GRAPHQL_INTROSPECTION), as armor did.
    if (name === '__schema' || name === '__type') return 0;
    if (!node.selectionSet) return SCALAR_COST;
    const field = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
    const type = field && getNamedType(field.type);
    const isConnection = field !== undefined && field.args.some((arg) => arg.name === 'first' || arg.name === 'last');
    const perItem = isConnection ? pageSize(node, field, parent!) : null;
    return OBJECT_COST + DEPTH_FACTOR * selectionsCost(type, node.selectionSet, perItem);
  }

  const root = schema.getRootType(operation.operation) ?? undefined;
  const cost = selectionsCost(root, operation.selectionSet, null);
  return { cost, defaulted, dependsOnVariables };
}
