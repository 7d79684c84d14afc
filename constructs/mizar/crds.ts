import type { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { customResourceDefinition, JsonSchema } from '../common/crd';
import { componentLabels, syncWave } from '../common/workload';
import { bouncerSchema, dividerSchema, dropletSchema, endpointSchema, subnetSchema, vpcSchema } from './crd-schemas';
import { MIZAR_GROUP, MIZAR_VERSION } from './names';

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
  readonly crds: Readonly<Record<string, k8s.KubeCustomResourceDefinition>>;

  constructor(scope: Construct, id: string, props: MizarCrdsProps = {}) {
    super(scope, id);
    const crds: Record<string, k8s.KubeCustomResourceDefinition> = {};
    for (const k of MIZAR_KINDS) {
      crds[k.kind] = customResourceDefinition(this, k.kind, {
        group: MIZAR_GROUP,
        kind: k.kind,
        plural: k.plural,
        singular: k.singular,
        shortNames: k.shortNames,
        // Everything, state included, lives under `.spec`: no status subresource.
        versions: [{ name: MIZAR_VERSION, schema: k.schema, columns: k.columns.map(([name, type, field]) => [name, type, `.spec.${field}`] as const) }],
        labels: componentLabels('mizar', 'crd'),
        annotations: syncWave(props.syncWave ?? 0),
      });
    }
    this.crds = crds;
  }
}
