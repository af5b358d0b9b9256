/**
 * The endpoints of each supported network, in one place so that config defaults,
 * `allora init` and the chain client agree.
 *
 * Remote endpoints are the public Allora ones as of mid-2026. The table holds no chain ids on
 * purpose: read the chain id from the node's RPC `status` instead of assuming it.
 *
 * @module
 */
import { type Network, NETWORKS } from "./config.ts";

/** Endpoints of one network. */
export interface NetworkEndpoints {
  /** CometBFT RPC URL. */
  rpc: string;
  /** Cosmos REST (LCD) URL. */
  rest: string;
}

/** Known endpoints per network; `local` is the `allora devnet` chain double on loopback. */
export const NETWORK_ENDPOINTS: Readonly<Record<Network, NetworkEndpoints>> = {
  "local": {
    rpc: "http://127.0.0.1:26657",
    rest: "http://127.0.0.1:1317",
  },
  "allora-testnet-1": {
    rpc: "https://allora-rpc.testnet.allora.network/",
    rest: "https://allora-api.testnet.allora.network/",
  },
  "allora-mainnet-1": {
    rpc: "https://allora-rpc.mainnet.allora.network/",
    rest: "https://allora-api.mainnet.allora.network/",
  },
};

/** Returns whether `value` names a known network. */
export function isNetwork(value: string): value is Network {
  return (NETWORKS as readonly string[]).includes(value);
}
