/**
 * Gas metering with the Cosmos SDK default costs, so simulated and delivered gas have the size
 * a real chain reports and a gas limit that is too low fails the same way (sdk code 11).
 *
 * @module
 */
import { OutOfGasError } from "./errors.ts";

/** Gas costs: x/auth default params and the SDK's KVStore gas config (store/types/gas.go). */
export const GAS_COSTS = {
  txSizePerByte: 10n,
  sigVerifySecp256k1: 1000n,
  readFlat: 1000n,
  readPerByte: 3n,
  writeFlat: 2000n,
  writePerByte: 30n,
  hasFlat: 1000n,
} as const;

/** Approximate store key + value size of an account with its public key, for gas. */
export const ACCOUNT_ENTRY_BYTES = 140;
/** Approximate store key + value size of a module's parameters, for gas. */
export const PARAMS_ENTRY_BYTES = 60;
/**
 * Bytes the SDK adds per signer to the size gas of a simulated transaction, which carries empty
 * signatures: a 64-byte signature, a 33-byte key and their encoding.
 */
export const SIMULATED_SIGNATURE_BYTES = 110;

/** Counts gas and throws {@link OutOfGasError} past its limit. */
export class GasMeter {
  /** The limit; `undefined` means unlimited, as in simulation. */
  readonly limit: bigint | undefined;
  #used = 0n;

  constructor(limit?: bigint) {
    this.limit = limit;
  }

  /** Gas consumed so far. */
  get used(): bigint {
    return this.#used;
  }

  /**
   * Adds `amount` of gas spent on `descriptor`.
   *
   * @throws {OutOfGasError} when the total passes the limit
   */
  consume(amount: bigint, descriptor: string): void {
    this.#used += amount;
    if (this.limit !== undefined && this.#used > this.limit) {
      throw new OutOfGasError(descriptor, this.limit, this.#used);
    }
  }

  /** Charges one store read of a `bytes`-long key plus value. */
  read(bytes: number): void {
    this.consume(GAS_COSTS.readFlat + GAS_COSTS.readPerByte * BigInt(bytes), "ReadFlat");
  }

  /** Charges one store write of a `bytes`-long key plus value. */
  write(bytes: number): void {
    this.consume(GAS_COSTS.writeFlat + GAS_COSTS.writePerByte * BigInt(bytes), "WriteFlat");
  }
}
