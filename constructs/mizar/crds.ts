import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { componentLabels, syncWave } from '../common/workload';
import { bouncerSchema, dividerSchema, dropletSchema, endpointSchema, JsonSchema, subnetSchema, vpcSchema } from './crd-schemas';

/** The API group and version of every Mizar kind. */
export const MIZAR_GROUP = 'mizar.com';
export const MIZAR_VERSION = 'v1';
export const MIZAR_API_VERSION = `${MIZAR_GROUP}/${MIZAR_VERSION}`;

/** One printer column: name, type, and the `.spec` field it shows. */
type Column = [name: string, type: 'string' | 'integer', field: string];

interface MizarKind {
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly schema: JsonSchema;
  readonly columns: readonly Column[];
}

const created: Column[] = [['CreateTime', 'string', 'createtime'], ['ProvisionDelay', 'string', 'provisiondelay']];

/** The six kinds, with the names and printer columns of Mizar's own CRDs (etc/crds/*.crd.yaml). */
export const MIZAR_KINDS: readonly MizarKind[] = [
  { kind: 'Vpc', plural: 'vpcs', singular: 'vpc', shortNames: ['vpc'], schema: vpcSchema,
    columns: [['Ip', 'string', 'ip'], ['Prefix', 'string', 'prefix'], ['Vni', 'string', 'vni'], ['Dividers', 'integer', 'dividers'], ['Status', 'string', 'status'], ...created] },
  { kind: 'Subnet', plural: 'subnets', singular: 'subnet', shortNames: ['subnet'], schema: subnetSchema,
    columns: [['Ip', 'string', 'ip'], ['Prefix', 'string', 'prefix'], ['Vni', 'string', 'vni'], ['Vpc', 'string', 'vpc'], ['Status', 'string', 'status'], ['Bouncers', 'integer', 'bouncers'], ...created] },
  { kind: 'Divider', plural: 'dividers', singular: 'divider', shortNames: ['divd', 'divds'], schema: dividerSchema,
    columns: [['Vpc', 'string', 'vpc'], ['Ip', 'string', 'ip'], ['Mac', 'string', 'mac'], ['Droplet', 'string', 'droplet'], ['Status', 'string', 'status'], ...created] },
  { kind: 'Bouncer', plural: 'bouncers', singular: 'bouncer', shortNames: ['bncr', 'bncrs'], schema: bouncerSchema,
    columns: [['Vpc', 'string', 'vpc'], ['Net', 'string', 'net'], ['Ip', 'string', 'ip'], ['Mac', 'string', 'mac'], ['Droplet', 'string', 'droplet'], ['Status', 'string', 'status'], ...created] },
  { kind: 'Droplet', plural: 'droplets', singular: 'droplet', shortNames: ['drp', 'drps'], schema: dropletSchema,
    columns: [['MainIp', 'string', 'main_ip'], ['Mac', 'string', 'mac'], ['Ip', 'string', 'ip'], ['Status', 'string', 'status'], ['Interface', 'string', 'itf'], ...created] },
  // No short names: Mizar's `ep`/`eps` would shadow core v1 Endpoints in kubectl.
  { kind: 'Endpoint', plural: 'endpoints', singular: 'endpoint', shortNames: [], schema: endpointSchema,
    columns: [['Type', 'string', 'type'], ['Ip', 'string', 'ip'], ['Prefix', 'string', 'prefix'], ['Vpc', 'string', 'vpc'], ['Network', 'string', 'net'], ['Droplet', 'string', 'droplet'], ['Status', 'string', 'status'], ['Pod', 'string', 'pod'], ...created] },
];

export interface MizarCrdsProps {
  /**
   * Argo CD sync wave of the CRDs inside their stack.
   * @default 0
   */
  readonly syncWave?: number;
}

/** The six mizar.com CustomResourceDefinitions (apiextensions.k8s.io/v1, structural schemas). */
export class MizarCrds extends Construct {
  /** The CRD objects by kind (escape hatch). */
  readonly crds: Readonly<Record<string, ApiObject>>;

  constructor(scope: Construct, id: string, props: MizarCrdsProps = {}) {
    super(scope, id);
    const crds: Record<string, ApiObject> = {};
    for (const k of MIZAR_KINDS) {
      crds[k.kind] = new ApiObject(this, k.kind, {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: {
          name: `${k.plural}.${MIZAR_GROUP}`,
          labels: componentLabels('mizar', 'crd'),
          annotations: syncWave(props.syncWave ?? 0),
        },
        spec: {
          group: MIZAR_GROUP,
          // The operator reads and writes every Mizar object in namespace default.
          scope: 'Namespaced',
          names: { kind: k.kind, listKind: `${k.kind}List`, plural: k.plural, singular: k.singular, ...(k.shortNames.length ? { shortNames: [...k.shortNames] } : {}) },
          versions: [
            {
              name: MIZAR_VERSION,
              served: true,
              storage: true,
              schema: { openAPIV3Schema: k.schema },
              additionalPrinterColumns: k.columns.map(([name, type, field]) => ({ name, type, jsonPath: `.spec.${field}` })),
            },
          ],
        },
      });
    }
    this.crds = crds;
  }
}
