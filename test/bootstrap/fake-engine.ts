import { createRequire } from 'node:module';

/**
 * The two gRPC services the Pulumi CLI serves to a program (ResourceMonitor and Engine), recording
 * what the program registers instead of deploying it. With it, the real Node.js runtime of
 * @pulumi/pulumi (cmd/run) runs bootstrap/ in its own process, as the language host starts it; only
 * the engine on the other end of the wire is a stand-in (it answers every resource with its inputs).
 */

// The gRPC library and generated stubs that @pulumi/pulumi itself uses, so both ends speak alike.
const fromPulumi = createRequire(require.resolve('@pulumi/pulumi'));
/* eslint-disable @typescript-eslint/no-explicit-any */
const grpc = fromPulumi('@grpc/grpc-js') as any;
const resourceGrpc = fromPulumi('./proto/resource_grpc_pb') as any;
const resourceProto = fromPulumi('./proto/resource_pb') as any;
const engineGrpc = fromPulumi('./proto/engine_grpc_pb') as any;
const engineProto = fromPulumi('./proto/engine_pb') as any;
const emptyProto = fromPulumi('google-protobuf/google/protobuf/empty_pb') as any;
const rpc = fromPulumi('./runtime/rpc') as { deserializeProperties(struct: unknown): Promise<Record<string, unknown>> };

/** One RegisterResource call, as the engine received it. */
export interface Registration {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent: string;
  /** `<provider urn>::<id>`, or '' for the default provider. */
  readonly provider: string;
  /** URNs the resource waits for (its dependsOn, expanded through components, and its inputs' sources). */
  readonly dependencies: readonly string[];
  readonly inputs: Record<string, unknown>;
}

export interface EngineLog {
  readonly severity: 'debug' | 'info' | 'warning' | 'error';
  readonly message: string;
}

export interface FakeEngine {
  /** `127.0.0.1:<port>`, for both --monitor and --engine. */
  readonly address: string;
  readonly registrations: Registration[];
  readonly logs: EngineLog[];
  /** The outputs of the stack resource (the program's exports). */
  readonly stackOutputs: Record<string, unknown>;
  stop(): Promise<void>;
}

const SEVERITIES = ['debug', 'info', 'warning', 'error'] as const;

export async function startFakeEngine(stack: string, project: string): Promise<FakeEngine> {
  const registrations: Registration[] = [];
  const logs: EngineLog[] = [];
  const stackOutputs: Record<string, unknown> = {};
  let rootUrn = '';
  const urnOf = (parent: string, type: string, name: string) => {
    const qualified = parent ? `${parent.split('::')[2]}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
  };
  const features = [
    resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS,
    resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
    resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
  ];
  type Callback = (error: Error | null, response?: unknown) => void;
  const handle = (work: (request: any) => Promise<unknown> | unknown) => (call: { request: any }, callback: Callback) => {
    Promise.resolve()
      .then(() => work(call.request))
      .then((response) => callback(null, response), (error: Error) => callback(error));
  };

  const server = new grpc.Server();
  server.addService(resourceGrpc.ResourceMonitorService, {
    getDeploymentInfo: handle(() => {
      const info = new resourceProto.DeploymentInfo();
      info.setSupportedfeaturesList(features);
      return info;
    }),
    supportsFeature: handle(() => {
      const response = new resourceProto.SupportsFeatureResponse();
      response.setHassupport(false);
      return response;
    }),
    registerPackage: handle(() => {
      const response = new resourceProto.RegisterPackageResponse();
      response.setRef('fake-package');
      return response;
    }),
    registerResource: handle(async (request) => {
      const type: string = request.getType();
      const name: string = request.getName();
      const parent: string = request.getParent();
      const urn = urnOf(parent, type, name);
      registrations.push({
        urn,
        type,
        name,
        custom: request.getCustom(),
        parent,
        provider: request.getProvider(),
        dependencies: request.getDependenciesList(),
        inputs: await rpc.deserializeProperties(request.getObject()),
      });
      const response = new resourceProto.RegisterResourceResponse();
      response.setUrn(urn);
      response.setId(request.getCustom() ? `${name}-id` : '');
      response.setObject(request.getObject());
      return response;
    }),
    registerResourceOutputs: handle(async (request) => {
      if (request.getUrn() === rootUrn) Object.assign(stackOutputs, await rpc.deserializeProperties(request.getOutputs()));
      return new emptyProto.Empty();
    }),
    signalAndWaitForShutdown: handle(() => new emptyProto.Empty()),
  });
  server.addService(engineGrpc.EngineService, {
    log: handle((request) => {
      logs.push({ severity: SEVERITIES[request.getSeverity() as number] ?? 'info', message: request.getMessage() });
      return new emptyProto.Empty();
    }),
    getRootResource: handle(() => {
      const response = new engineProto.GetRootResourceResponse();
      response.setUrn(rootUrn);
      return response;
    }),
    setRootResource: handle((request) => {
      rootUrn = request.getUrn();
      return new engineProto.SetRootResourceResponse();
    }),
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error: Error | null, bound: number) => (error ? reject(error) : resolve(bound)));
  });
  return {
    address: `127.0.0.1:${port}`,
    registrations,
    logs,
    stackOutputs,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
