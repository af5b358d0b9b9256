/**
 * Worker registration. {@link registerWorker} checks the topic, an existing registration and
 * the balance against the registration fee before it sends `RegisterRequest`.
 * {@link ensureWorkerRegistered} is the worker start hook: it does the same for every topic and
 * never stops the worker when a topic cannot be registered.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { ChainAccount } from "./account.ts";
import type { CallOptions, ChainClient } from "./client.ts";
import { emissionsTypeUrl, RegisterRequest } from "./emissions/mod.ts";
import {
  AccountNotFoundError,
  ChainError,
  InsufficientBalanceError,
  TopicNotFoundError,
} from "./errors.ts";
import { ChainTimeoutError, ChainUnreachableError } from "./rpc.ts";
import { requireTopic } from "./topics.ts";

/** The result of registering one topic. */
export interface RegistrationResult {
  topicId: bigint;
  status: "registered" | "already-registered";
  /** Set when a transaction was sent. */
  txHash?: string;
  height?: number;
  /** uallo charged as the registration fee. */
  registrationFee: bigint;
}

/** Registration state of one topic after {@link ensureWorkerRegistered}. */
export interface TopicRegistrationStatus {
  topicId: bigint;
  status: "registered" | "already-registered" | "failed";
  txHash?: string;
  /** Reason the registration failed, for status "failed". */
  reason?: string;
  /** The next step, for status "failed". */
  hint?: string;
  error?: Error;
}

/**
 * Registers `account` as a worker of `topicId` unless it already is.
 *
 * @throws {TopicNotFoundError} when the topic does not exist
 * @throws {InsufficientBalanceError} when the balance is below the registration fee
 * @throws {ChainError} when the chain rejects the transaction
 */
export async function registerWorker(
  client: ChainClient,
  account: ChainAccount,
  topicId: bigint,
  options: CallOptions = {},
): Promise<RegistrationResult> {
  const { address } = account;
  await requireTopic(client, topicId, `register in topic ${topicId}`, options);

  const params = await client.call(
    "read the emissions parameters",
    options,
    () => client.query.emissions.params(),
  );
  const registrationFee = BigInt(params.registrationFee || "0");
  const registered = await client.call(
    `check the registration in topic ${topicId}`,
    options,
    () => client.query.emissions.isWorkerRegistered(topicId, address),
  );
  if (registered) return { topicId, status: "already-registered", registrationFee };

  const balance = await client.balance(address, options);
  if (balance < registrationFee) {
    throw new InsufficientBalanceError(
      address,
      balance,
      registrationFee,
      `register in topic ${topicId}`,
    );
  }

  const submitter = await client.submitter(account);
  const message = {
    typeUrl: emissionsTypeUrl(client.emissionsVersion, "RegisterRequest"),
    value: RegisterRequest.fromPartial({
      sender: address,
      topicId,
      owner: address,
      isReputer: false,
    }),
  };
  const result = await submitter.submit(`register in topic ${topicId}`, [message], {
    signal: options.signal,
  });
  return {
    topicId,
    status: "registered",
    txHash: result.txHash,
    height: result.height,
    registrationFee,
  };
}

/** Inputs of {@link ensureWorkerRegistered}. */
export interface EnsureRegisteredOptions {
  client: ChainClient;
  account: ChainAccount;
  topics: ReadonlyArray<bigint | number | string>;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * Registers the worker in every topic where it is not registered yet. A topic that cannot be
 * registered (missing topic, low balance, chain rejection) does not throw. It gets a warning
 * log line and the status "failed", so the worker can keep running.
 *
 * @returns one status per topic, in the order given
 * @throws only when `signal` aborts
 */
export async function ensureWorkerRegistered(
  options: EnsureRegisteredOptions,
): Promise<TopicRegistrationStatus[]> {
  const { client, account, topics, logger, signal } = options;
  const statuses: TopicRegistrationStatus[] = [];
  for (const topic of topics) {
    const topicId = BigInt(topic);
    const log = logger.child({ topic: topicId, address: account.address });
    try {
      const result = await registerWorker(client, account, topicId, { signal });
      if (result.status === "registered") {
        log.info("registered worker in topic", {
          txHash: result.txHash,
          fee: result.registrationFee,
        });
      } else log.debug("worker already registered in topic");
      statuses.push({ topicId, status: result.status, txHash: result.txHash });
    } catch (error) {
      if (signal?.aborted) throw error;
      const failure = describeFailure(error);
      log.warn("cannot register worker in topic", { reason: failure.reason, hint: failure.hint });
      statuses.push({ topicId, status: "failed", ...failure, error: error as Error });
    }
  }
  return statuses;
}

function describeFailure(error: unknown): { reason: string; hint: string } {
  const reason = error instanceof Error ? error.message : String(error);
  if (
    error instanceof InsufficientBalanceError || error instanceof AccountNotFoundError ||
    error instanceof TopicNotFoundError || error instanceof ChainError
  ) {
    return { reason, hint: error.hint };
  }
  if (error instanceof ChainUnreachableError || error instanceof ChainTimeoutError) {
    return { reason, hint: "check chain.rpc in config.yaml and that the node is up" };
  }
  return { reason, hint: "rerun with --log-level debug and report the output" };
}
