/**
 * The ledger behind the test RPC server: accounts, topics, registrations and transactions,
 * with the checks the chain runs (signature, sequence, fee, then the emissions rules) and the
 * error codes it returns. Tests inspect `received` to see what the client sent.
 *
 * This is a test double for the chain client's tests, not the full `allora devnet`.
 *
 * @module
 */
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromBase64, toHex } from "@cosmjs/encoding";
import { decodePubkey, makeSignBytes } from "@cosmjs/proto-signing";
import { AuthInfo, SignDoc, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { addressFromPublicKey } from "../node/chain/account.ts";
import { InvalidBundleError, verifyBundleSignature } from "../node/chain/bundle.ts";
import {
  EMISSIONS_MSG_TYPES,
  emissionsTypeUrl,
  type EmissionsVersion,
  type InsertWorkerPayloadRequest,
  type Params,
  type RegisterRequest,
  type Topic,
} from "../node/chain/emissions/mod.ts";

/** An ABCI result: code 0 is success. */
export interface AbciResult {
  code: number;
  codespace: string;
  log: string;
}

/** A transaction the double accepted into a block, decoded. */
export interface ReceivedTx {
  hash: string;
  height: number;
  bytes: Uint8Array;
  messages: Array<{ typeUrl: string; value: Record<string, unknown> }>;
  memo: string;
  gasLimit: bigint;
  feeAmount: bigint;
  result: AbciResult;
}

/** A decoded, signature-checked transaction ready to run. */
interface CheckedTx {
  signer: string;
  messages: ReceivedTx["messages"];
  memo: string;
  gasLimit: bigint;
  feeAmount: bigint;
}

const OK: AbciResult = { code: 0, codespace: "", log: "" };
const fail = (codespace: string, code: number, log: string): AbciResult => ({
  code,
  codespace,
  log,
});

/** Chain state of the test double. */
export class TestChain {
  chainId: string;
  version: EmissionsVersion;
  height = 10;
  accounts = new Map<string, { accountNumber: bigint; sequence: bigint; balance: bigint }>();
  topics = new Map<bigint, Partial<Topic>>();
  registrations = new Set<string>();
  params: Partial<Params> = {
    registrationFee: "200",
    dataSendingFee: "10",
    createTopicFee: "75000",
  };
  /** Minimum uallo per gas unit the fee must cover. */
  minGasPrice = 10n;
  /** LegacyDec atomics the feemarket query returns (10 uallo). */
  gasPriceAtomics: string | undefined = "10000000000000000000";
  gasPerTx = 80_000n;
  received: ReceivedTx[] = [];
  /** CheckTx results to return before any real check, consumed one per broadcast. */
  injectedCheckTx: AbciResult[] = [];
  /** Block results to record in place of running the messages, consumed one per transaction. */
  injectedDeliverTx: AbciResult[] = [];

  constructor(options: { chainId?: string; version?: EmissionsVersion } = {}) {
    this.chainId = options.chainId ?? "allora-test-1";
    this.version = options.version ?? "v9";
  }

  /** Creates or credits an account. */
  fund(address: string, amount: bigint): void {
    const account = this.accounts.get(address);
    if (account) account.balance += amount;
    else {
      this.accounts.set(address, {
        accountNumber: BigInt(this.accounts.size + 1),
        sequence: 0n,
        balance: amount,
      });
    }
  }

  /** Adds a topic with sensible defaults. */
  addTopic(id: bigint, topic: Partial<Topic> = {}): void {
    this.topics.set(id, {
      id,
      creator: "allo1creator",
      metadata: "ETH 10min",
      epochLength: 12n,
      workerSubmissionWindow: 10n,
      ...topic,
    });
  }

  isRegistered(topicId: bigint, address: string): boolean {
    return this.registrations.has(`${topicId}/${address}`);
  }

  /** Runs CheckTx; on success the transaction goes into the next block. */
  broadcast(bytes: Uint8Array): AbciResult & { hash: string } {
    const hash = toHex(sha256(bytes)).toUpperCase();
    const injected = this.injectedCheckTx.shift();
    if (injected) return { ...injected, hash };
    const checked = this.#check(bytes);
    if ("code" in checked) return { ...checked, hash };
    this.height += 1;
    const injectedResult = this.injectedDeliverTx.shift();
    const result = injectedResult ? this.#charge(checked, injectedResult) : this.#deliver(checked);
    this.received.push({ hash, height: this.height, bytes, ...checked, result });
    return { ...OK, hash };
  }

  /** Runs a transaction without committing it and returns gas used, as `Simulate` does. */
  simulate(bytes: Uint8Array): AbciResult & { gasUsed: bigint } {
    const checked = this.#check(bytes, { simulate: true });
    if ("code" in checked) return { ...checked, gasUsed: 0n };
    for (const message of checked.messages) {
      const result = this.#execute(checked.signer, message, true);
      if (result.code) return { ...result, gasUsed: 0n };
    }
    return { ...OK, gasUsed: this.gasPerTx };
  }

  #check(bytes: Uint8Array, { simulate = false } = {}): CheckedTx | AbciResult {
    let raw, body, authInfo;
    try {
      raw = TxRaw.decode(bytes);
      body = TxBody.decode(raw.bodyBytes);
      authInfo = AuthInfo.decode(raw.authInfoBytes);
    } catch (error) {
      return fail("sdk", 2, `tx parse error: ${(error as Error).message}`);
    }
    const messages = this.#decodeMessages(body);
    if (!Array.isArray(messages)) return messages;
    const signerInfo = authInfo.signerInfos[0];
    if (signerInfo?.publicKey === undefined) return fail("sdk", 4, "no signer public key");
    const publicKey = fromBase64(decodePubkey(signerInfo.publicKey).value as string);
    const signer = addressFromPublicKey(publicKey);
    const account = this.accounts.get(signer);
    if (account === undefined) return fail("sdk", 9, `account ${signer} not found`);
    if (signerInfo.sequence !== account.sequence) {
      return fail(
        "sdk",
        32,
        `account sequence mismatch, expected ${account.sequence}, got ${signerInfo.sequence}: ` +
          "incorrect account sequence",
      );
    }
    const gasLimit = authInfo.fee?.gasLimit ?? 0n;
    const feeAmount = BigInt(
      authInfo.fee?.amount.find((coin) => coin.denom === "uallo")?.amount ?? "0",
    );
    if (!simulate) {
      const signBytes = makeSignBytes(SignDoc.fromPartial({
        bodyBytes: raw.bodyBytes,
        authInfoBytes: raw.authInfoBytes,
        chainId: this.chainId,
        accountNumber: account.accountNumber,
      }));
      const failure = this.#checkSignatureAndFee(raw.signatures[0], signBytes, publicKey, {
        gasLimit,
        feeAmount,
        balance: account.balance,
      });
      if (failure) return failure;
    }
    return { signer, messages, memo: body.memo, gasLimit, feeAmount };
  }

  #decodeMessages(body: TxBody): ReceivedTx["messages"] | AbciResult {
    const messages: ReceivedTx["messages"] = [];
    for (const any of body.messages) {
      const name = Object.keys(EMISSIONS_MSG_TYPES).find((n) =>
        emissionsTypeUrl(this.version, n) === any.typeUrl
      );
      if (name === undefined) return fail("sdk", 6, `unknown message type ${any.typeUrl}`);
      const codec = EMISSIONS_MSG_TYPES[name as keyof typeof EMISSIONS_MSG_TYPES];
      try {
        const value = codec.decodeStrict(any.value) as unknown as Record<string, unknown>;
        messages.push({ typeUrl: any.typeUrl, value });
      } catch (error) {
        return fail("sdk", 2, `tx parse error: ${(error as Error).message}`);
      }
    }
    return messages;
  }

  #checkSignatureAndFee(
    signature: Uint8Array | undefined,
    signBytes: Uint8Array,
    publicKey: Uint8Array,
    { gasLimit, feeAmount, balance }: { gasLimit: bigint; feeAmount: bigint; balance: bigint },
  ): AbciResult | undefined {
    const parsed = Secp256k1Signature.fromFixedLength(signature ?? new Uint8Array(64));
    if (!Secp256k1.verifySignature(parsed, sha256(signBytes), publicKey)) {
      return fail(
        "sdk",
        4,
        "signature verification failed; please verify account number and chain-id",
      );
    }
    const required = gasLimit * this.minGasPrice;
    if (feeAmount < required) {
      return fail("sdk", 13, `insufficient fee; got: ${feeAmount}uallo required: ${required}uallo`);
    }
    if (balance < feeAmount) {
      return fail("sdk", 5, `insufficient funds: ${balance}uallo < ${feeAmount}uallo`);
    }
    return undefined;
  }

  // Fee and sequence are taken even when a message fails, as in the Cosmos SDK.
  #charge(tx: CheckedTx, result: AbciResult): AbciResult {
    const account = this.accounts.get(tx.signer)!;
    account.sequence += 1n;
    account.balance -= tx.feeAmount;
    return result;
  }

  #deliver(tx: CheckedTx): AbciResult {
    this.#charge(tx, OK);
    for (const message of tx.messages) {
      const result = this.#execute(tx.signer, message, false);
      if (result.code) {
        return { ...result, log: `failed to execute message; message index: 0: ${result.log}` };
      }
    }
    return OK;
  }

  #execute(signer: string, message: ReceivedTx["messages"][number], dryRun: boolean): AbciResult {
    if (message.typeUrl.endsWith(".RegisterRequest")) {
      return this.#register(signer, message.value as unknown as RegisterRequest, dryRun);
    }
    if (message.typeUrl.endsWith(".InsertWorkerPayloadRequest")) {
      return this.#payload(message.value as unknown as InsertWorkerPayloadRequest);
    }
    return OK;
  }

  #register(signer: string, request: RegisterRequest, dryRun: boolean): AbciResult {
    if (request.sender !== signer) return fail("sdk", 4, "sender is not the signer");
    if (!this.topics.has(request.topicId)) return fail("emissions", 23, "topic does not exist");
    if (this.isRegistered(request.topicId, request.sender)) {
      return fail("emissions", 8, "address already registered in a topic");
    }
    const fee = BigInt(this.params.registrationFee ?? "0");
    const account = this.accounts.get(signer)!;
    if (account.balance < fee) {
      return fail("emissions", 48, "topic registrant does not have enough denom");
    }
    if (!dryRun) {
      account.balance -= fee;
      this.registrations.add(`${request.topicId}/${request.sender}`);
    }
    return OK;
  }

  #payload(request: InsertWorkerPayloadRequest): AbciResult {
    const bundle = request.workerDataBundle;
    if (bundle === undefined) return fail("emissions", 52, "invalid value: no bundle");
    try {
      verifyBundleSignature(bundle);
    } catch (error) {
      if (error instanceof InvalidBundleError) return fail("emissions", 47, error.message);
      throw error;
    }
    if (!this.isRegistered(bundle.topicId, bundle.worker)) {
      return fail("emissions", 13, "address not registered");
    }
    return OK;
  }
}
