/**
 * Plans the deployment files of a project on a network: `prod-docker-compose.yaml`, the
 * systemd unit `allora-worker.service` and, when the password was given through the
 * environment, `secrets.env` (mode 0600).
 *
 * Both deployment files run `allora worker` on the project's config.yaml and point it at the
 * network through ALLORA_* variables, so config.yaml stays the development config. No secret
 * is written into them: the worker reads the keystore named by `chain.wallet` and its
 * password from ALLORA_WALLET_PASSWORD.
 *
 * @module
 */
import { multiaddr } from "@multiformats/multiaddr";
import { peerIdFromString } from "@libp2p/peer-id";
import type { Config, Network } from "../config/config.ts";
import { environmentVariableName } from "../config/environment.ts";
import { NETWORK_ENDPOINTS } from "../config/networks.ts";
import { slug } from "./dev.ts";
import { unitEnvironment, unitExecWord, unitValue, unitWord } from "./systemd.ts";
import { readTemplateText, renderTemplate } from "./templates.ts";
import type { ProjectFile } from "./writer.ts";

/** Environment variable that carries the wallet keystore password. */
export const PASSWORD_VARIABLE = "ALLORA_WALLET_PASSWORD";
/** File that contains {@link PASSWORD_VARIABLE} for compose and systemd. */
export const SECRETS_FILE = "secrets.env";

/** A head address that does not parse or lacks its `/p2p/<peer id>` part. */
export class BootNodeError extends Error {
  override name = "BootNodeError";
  readonly address: string;

  constructor(address: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.address = address;
  }
}

/**
 * Splits a comma- or space-separated list of head multiaddrs and checks each one.
 *
 * @throws {BootNodeError} naming the first address that does not parse or does not end in
 *   `/p2p/<peer id>`
 */
export function parseBootNodes(text: string): string[] {
  const addresses = text.split(/[\s,]+/).filter(Boolean);
  for (const address of addresses) checkBootNode(address);
  return addresses;
}

/** Checks one head multiaddr; see {@link parseBootNodes}. */
export function checkBootNode(address: string): void {
  let components;
  try {
    components = multiaddr(address).getComponents();
  } catch (error) {
    throw new BootNodeError(
      address,
      `Invalid head address '${address}': ${(error as Error).message}`,
      { cause: error },
    );
  }
  const last = components[components.length - 1];
  if (components.length < 2 || last?.name !== "p2p" || last.value === undefined) {
    throw new BootNodeError(
      address,
      `Invalid head address '${address}': expected a transport address ending in /p2p/<peer id>`,
    );
  }
  try {
    peerIdFromString(last.value);
  } catch (error) {
    throw new BootNodeError(
      address,
      `Invalid head address '${address}': '${last.value}' is not a peer ID`,
      { cause: error },
    );
  }
}

/** Returns whether a multiaddr points at this machine (127.0.0.0/8, ::1 or localhost). */
export function isLoopbackAddress(address: string): boolean {
  return /^\/(ip4\/127\.|ip6\/::1\/|dns[46]?\/localhost\/)/.test(address);
}

/** Options of {@link planProdFiles}. */
export interface ProdPlanOptions {
  config: Config;
  /** Absolute path of the project folder, written into the systemd unit. */
  projectDir: string;
  network: Network;
  /** Checked head multiaddrs. */
  bootNodes: string[];
  /** Absolute path of the allora executable for ExecStart=. */
  alloraPath: string;
  /** Account the service runs as; without it the unit has a commented-out User= line. */
  user?: string;
  /** The keystore password, when the user supplied it through the environment. */
  password?: string;
}

/** The planned prod files, plus why secrets.env was left out when it was. */
export interface ProdPlan {
  files: ProjectFile[];
  /** Set when a password was given but cannot be stored safely in an env file. */
  secretsSkipped?: string;
}

/**
 * Plans the deployment files; nothing is written.
 *
 * @throws {UnitValueError} when the project path cannot be written into a unit file
 */
export async function planProdFiles(options: ProdPlanOptions): Promise<ProdPlan> {
  const { config, network, bootNodes } = options;
  const rpc = NETWORK_ENDPOINTS[network].rpc;
  const composeValues = {
    name: config.name,
    network,
    rpc,
    wallet: config.chain.wallet,
    compose_name: slug(config.name),
    image: `allora-${slug(config.name)}:prod`,
    boot_nodes: bootNodes.join(","),
    worker_port: config.worker.port,
  };
  const files: ProjectFile[] = [{
    path: "prod-docker-compose.yaml",
    data: renderTemplate(
      await readTemplateText("prod/prod-docker-compose.yaml"),
      composeValues,
      "prod/prod-docker-compose.yaml",
    ),
  }];
  files.push({ path: "allora-worker.service", data: await renderUnit(options, rpc) });

  if (options.password === undefined) return { files };
  const secrets = secretsFile(options.password);
  if (typeof secrets === "string") return { files, secretsSkipped: secrets };
  files.push(secrets);
  return { files };
}

async function renderUnit(options: ProdPlanOptions, rpc: string): Promise<string> {
  const { config, projectDir, network, bootNodes } = options;
  const configPath = `${projectDir}/config.yaml`;
  const values = {
    name: config.name,
    topic: config.topic,
    network,
    user_line: options.user === undefined
      ? "# User=<the account that owns this folder; the service must not run as root>"
      : `User=${unitValue(options.user)}`,
    project_dir: unitValue(projectDir),
    read_write_path: unitWord(projectDir),
    exec_start: [options.alloraPath, "worker", "--config", configPath].map(unitExecWord).join(" "),
    environment: {
      network: unitEnvironment(environmentVariableName(["network"]), network),
      rpc: unitEnvironment(environmentVariableName(["chain", "rpc"]), rpc),
      boot_nodes: unitEnvironment(
        environmentVariableName(["worker", "boot_nodes"]),
        bootNodes.join(","),
      ),
    },
    secrets_file: unitValue(`${projectDir}/${SECRETS_FILE}`),
  };
  const template = "prod/allora-worker.service";
  return renderTemplate(await readTemplateText(template), values, template);
}

/**
 * Plans secrets.env with the password, or returns why it cannot hold it: compose and systemd
 * read a single-quoted value literally only when it has no quote, backslash or line break.
 */
function secretsFile(password: string): ProjectFile | string {
  // deno-lint-ignore no-control-regex
  if (/['\\\u0000-\u001f\u007f]/.test(password)) {
    return `the password contains a quote, backslash or control character, which ${SECRETS_FILE} cannot hold literally`;
  }
  return {
    path: SECRETS_FILE,
    mode: 0o600,
    data: `# Password of the wallet keystore, read by prod-docker-compose.yaml and
# allora-worker.service. Keep this file private (mode 0600) and out of version control.
${PASSWORD_VARIABLE}='${password}'
`,
  };
}
