import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** A JSON schema node as apiextensions.k8s.io/v1 takes it (`x-kubernetes-*` keys as the API spells them). */
export type JsonSchema = Record<string, unknown>;

/** One printer column: name, type, JSON path. */
export type PrinterColumn = readonly [name: string, type: 'string' | 'boolean' | 'integer' | 'date', jsonPath: string];

/** One served version of a custom resource. */
export interface CrdVersion {
  readonly name: string;
  readonly schema: JsonSchema;
  /** @default true */
  readonly storage?: boolean;
  /** @default [] */
  readonly columns?: readonly PrinterColumn[];
  /**
   * Whether the kind has a status subresource.
   * @default false
   */
  readonly status?: boolean;
  /** @default - not deprecated */
  readonly deprecationWarning?: string;
}

export interface CustomResourceDefinitionProps {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  /** @default - the kind in lower case */
  readonly singular?: string;
  /** @default [] */
  readonly shortNames?: readonly string[];
  readonly versions: readonly CrdVersion[];
  /** @default - no conversion webhook (the versions share one schema) */
  readonly conversion?: k8s.CustomResourceConversion;
  /** Labels and annotations of the CRD; its name is `<plural>.<group>`. */
  readonly labels?: Record<string, string>;
  /** @default - none */
  readonly annotations?: Record<string, string>;
}

/**
 * A namespaced CustomResourceDefinition (apiextensions.k8s.io/v1) from a plain JSON schema, typed as
 * the k8s class. The schema is written as the API takes it and turned into the typed props here: the
 * typed props spell `x-kubernetes-list-type` as `xKubernetesListType` (and `$ref` as `ref`) under
 * `properties`, but write `items` and `additionalProperties` out untouched, so those stay as given.
 */
export function customResourceDefinition(scope: Construct, id: string, props: CustomResourceDefinitionProps): k8s.KubeCustomResourceDefinition {
  return new k8s.KubeCustomResourceDefinition(scope, id, {
    metadata: {
      name: `${props.plural}.${props.group}`,
      ...(props.labels ? { labels: props.labels } : {}),
      ...(props.annotations ? { annotations: props.annotations } : {}),
    },
    spec: {
      group: props.group,
      scope: 'Namespaced',
      names: {
        kind: props.kind,
        listKind: `${props.kind}List`,
        plural: props.plural,
        singular: props.singular ?? props.kind.toLowerCase(),
        ...(props.shortNames?.length ? { shortNames: [...props.shortNames] } : {}),
      },
      ...(props.conversion ? { conversion: props.conversion } : {}),
      versions: props.versions.map((v) => ({
        name: v.name,
        served: true,
        storage: v.storage ?? true,
        ...(v.deprecationWarning ? { deprecated: true, deprecationWarning: v.deprecationWarning } : {}),
        schema: { openApiv3Schema: typedSchema(v.schema) },
        ...(v.status ? { subresources: { status: {} } } : {}),
        ...(v.columns?.length ? { additionalPrinterColumns: v.columns.map(([name, type, jsonPath]) => ({ name, type, jsonPath })) } : {}),
      })),
    },
  });
}

const camel = (key: string) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** A JSON schema as the typed JsonSchemaProps (see customResourceDefinition for which keys change). */
export function typedSchema(schema: JsonSchema): k8s.JsonSchemaProps {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-')) out[camel(key)] = value;
    else if (key === '$ref' || key === '$schema') out[key.slice(1)] = value;
    else if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, typedSchema(v)]));
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') out[key] = (value as JsonSchema[]).map(typedSchema);
    else if (key === 'not') out[key] = typedSchema(value as JsonSchema);
    else out[key] = value;
  }
  return out as k8s.JsonSchemaProps;
}
