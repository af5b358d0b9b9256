/**
 * Plans the files of a development project: config.yaml and its schema, main.py with its
 * sample data, the head and worker identities, the optional Docker files and a README.
 *
 * The worker's boot node is always the multiaddr of the head identity planned here, loaded or
 * created, so a config can never name a head that has no key.
 *
 * @module
 */
import {
  type Config,
  CONFIG_SCHEMA,
  DEFAULT_CONFIG,
  type Network,
  parseConfig,
} from "../config/config.ts";
import { NETWORK_ENDPOINTS } from "../config/networks.ts";
import { FUNCTION_ID, FUNCTION_METHOD } from "../function/reference.ts";
import {
  identityProjectFiles,
  projectIdentities,
  type ProjectIdentity,
  type Role,
  ROLES,
} from "./identities.ts";
import {
  readTemplate,
  readTemplateText,
  renderTemplate,
  type TemplateValues,
} from "./templates.ts";
import type { ProjectFile } from "./writer.ts";

/** Options of {@link planDevProject}. */
export interface DevProjectOptions {
  /** Project folder; existing identities in it are reused. */
  dir: string;
  name: string;
  topic: number;
  network: Network;
  /** Argument sent with every request (ALLORA_ARG_PARAMS). @default "ETH" */
  defaultArg?: string;
  /** Toolkit version written into the file headers. */
  version: string;
}

/** The planned files of a development project and what they were derived from. */
export interface DevProjectPlan {
  files: ProjectFile[];
  /** The configuration that the planned config.yaml parses to. */
  config: Config;
  identities: Record<Role, ProjectIdentity>;
  /** The head's multiaddr on this machine: the worker's boot node. */
  headAddress: string;
}

// Templates copied as they are (no placeholders: main.py has Python braces of its own).
const VERBATIM: readonly { template: string; path: string; mode?: number }[] = [
  { template: "project/main.py", path: "main.py", mode: 0o755 },
  { template: "project/requirements.txt", path: "requirements.txt" },
  { template: "project/data/prices.csv", path: "data/prices.csv" },
  { template: "project/gitignore", path: ".gitignore" },
  { template: "project/dockerignore", path: ".dockerignore" },
];
const RENDERED: readonly { template: string; path: string }[] = [
  { template: "project/README.md", path: "README.md" },
  { template: "project/Dockerfile", path: "Dockerfile" },
  { template: "project/dev-docker-compose.yaml", path: "dev-docker-compose.yaml" },
];

/**
 * Plans every file of a development project in memory; nothing is written.
 *
 * @throws {IdentityError} when an existing key in `dir` is corrupt
 * @throws {TemplateError} when a template is missing or cannot be rendered (a bug)
 */
export async function planDevProject(options: DevProjectOptions): Promise<DevProjectPlan> {
  const identities = await projectIdentities(options.dir);
  const headPeerId = identities.head.identity.peerId.toString();
  const draft = projectConfig(options, headPeerId);
  const headAddress = draft.worker.boot_nodes[0];
  const values = templateValues(draft, options, headPeerId);

  // config.yaml first, checked by the same loader the nodes use.
  const configText = renderTemplate(
    await readTemplateText("project/config.yaml"),
    values,
    "project/config.yaml",
  );
  const config = parseConfig(configText, "config.yaml (generated)");
  const files: ProjectFile[] = [
    { path: "config.yaml", data: configText },
    { path: "config.schema.json", data: JSON.stringify(CONFIG_SCHEMA, null, 2) + "\n" },
  ];

  for (const { template, path, mode } of VERBATIM) {
    files.push({ path, data: await readTemplate(template), mode });
  }
  for (const { template, path } of RENDERED) {
    files.push({ path, data: renderTemplate(await readTemplateText(template), values, template) });
  }
  for (const role of ROLES) files.push(...identityProjectFiles(role, identities[role].identity));
  return { files, config, identities, headAddress };
}

/** Returns the multiaddr of a head on this machine. */
export function localHeadAddress(port: number, peerId: string): string {
  return `/ip4/127.0.0.1/tcp/${port}/p2p/${peerId}`;
}

/** Returns a name usable as a compose project and image name: lowercase, single dashes. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[._-]+/g, "-").replace(/-$/, "");
}

function projectConfig(options: DevProjectOptions, headPeerId: string): Config {
  const defaults = structuredClone(DEFAULT_CONFIG);
  return {
    ...defaults,
    name: options.name,
    topic: options.topic,
    network: options.network,
    inference: { ...defaults.inference, default_arg: options.defaultArg ?? "ETH" },
    function: { id: FUNCTION_ID, method: FUNCTION_METHOD },
    worker: {
      ...defaults.worker,
      boot_nodes: [localHeadAddress(defaults.head.port, headPeerId)],
      topics: [`allora-topic-${options.topic}-worker`],
    },
    chain: { ...defaults.chain, rpc: NETWORK_ENDPOINTS[options.network].rpc },
  };
}

function templateValues(
  config: Config,
  options: DevProjectOptions,
  headPeerId: string,
): TemplateValues {
  const restPort = Number(config.head.rest_api.slice(config.head.rest_api.lastIndexOf(":") + 1));
  return {
    ...config,
    version: options.version,
    compose_name: slug(options.name),
    image: `allora-${slug(options.name)}:dev`,
    rest_port: restPort,
    head_port: config.head.port,
    worker_port: config.worker.port,
    // Inside compose the head is reached by its service name.
    boot_node: `/dns4/head/tcp/${config.head.port}/p2p/${headPeerId}`,
    default_arg: config.inference.default_arg,
    timeout_seconds: config.inference.timeout_ms / 1000,
  };
}

/**
 * Checks a config.yaml that a rerun keeps against the head identity, because a kept config
 * and a new head key would disagree.
 *
 * @returns a warning to show, or undefined when the config names the head
 */
export function checkKeptConfig(
  text: string,
  headPeerId: string,
  requested: { topic?: number } = {},
): string | undefined {
  let config: Config;
  try {
    config = parseConfig(text);
  } catch (error) {
    return `the existing config.yaml was kept but is invalid: ${(error as Error).message}`;
  }
  if (requested.topic !== undefined && config.topic !== requested.topic) {
    return `the existing config.yaml was kept with topic ${config.topic}, not the requested ${requested.topic}; edit 'topic' in config.yaml or rerun with --force`;
  }
  if (config.worker.boot_nodes.some((address) => address.endsWith(`/p2p/${headPeerId}`))) {
    return undefined;
  }
  return `the existing config.yaml was kept, but its worker.boot_nodes does not name the head's peer ID ${headPeerId}; set it to ${
    localHeadAddress(config.head.port, headPeerId)
  }`;
}
