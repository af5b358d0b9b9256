/**
 * The ante handler of the chain double, in the SDK's order: basic checks, gas for the
 * transaction size, the fee (minimum gas price, then deduction from the payer), public keys,
 * signature gas, sequence and SIGN_MODE_DIRECT signature checks, and sequence increments.
 *
 * @module
 */
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { toBase64 } from "@cosmjs/encoding";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { SignDoc, type SignerInfo } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { addressFromPubkey, isValidAddress, moduleAddress } from "./address.ts";
import { chargeTransferGas, formatCoins, parseCoins, transfer } from "./bank.ts";
import { SDK_CODES, sdkError } from "./errors.ts";
import {
  ACCOUNT_ENTRY_BYTES,
  GAS_COSTS,
  PARAMS_ENTRY_BYTES,
  SIMULATED_SIGNATURE_BYTES,
} from "./gas.ts";
import { makeEvent, type TxContext } from "./module.ts";
import type { Account } from "./state.ts";
import { SECP256K1_PUBKEY_TYPE_URL } from "./tx_schema.ts";
import type { DecodedTx } from "./tx.ts";

/** Address of the fee collector module account, which receives transaction fees. */
export const FEE_COLLECTOR = moduleAddress("fee_collector");

/** The SDK's default maximum memo length, in characters. */
export const MAX_MEMO_CHARACTERS = 256;

// Half the secp256k1 group order: CometBFT rejects signatures with a larger S.
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/**
 * Runs the ante checks of `tx` on `context.state`, charging gas on `context.gas`.
 *
 * @throws {AbciError} the SDK's code for the first failed check
 */
export function runAnte(context: TxContext, tx: DecodedTx): void {
  const signers = validateBasic(context, tx);
  context.gas.read(PARAMS_ENTRY_BYTES);
  context.gas.consume(GAS_COSTS.txSizePerByte * BigInt(tx.bytes.length), "txSize");
  if (context.simulate) {
    const missing = tx.signatures.filter((signature) => signature.length === 0).length;
    context.gas.consume(
      GAS_COSTS.txSizePerByte * BigInt(SIMULATED_SIGNATURE_BYTES * missing),
      "txSize",
    );
  }
  deductFee(context, tx, signers[0]);
  const accounts = signers.map((signer, index) => setPubKey(context, tx, signer, index));
  signers.forEach((signer, index) => {
    const account = accounts[index];
    const info = tx.authInfo.signerInfos[index];
    context.gas.consume(GAS_COSTS.sigVerifySecp256k1, "ante verify: secp256k1");
    if (info.sequence !== account.sequence) {
      throw sdkError(
        SDK_CODES.wrongSequence,
        `account sequence mismatch, expected ${account.sequence}, got ${info.sequence}`,
      );
    }
    if (!context.simulate) verifySignature(context, tx, account, index);
    account.sequence += 1n;
    context.gas.write(ACCOUNT_ENTRY_BYTES);
    context.events.push(makeEvent("tx", { acc_seq: `${signer}/${info.sequence}` }));
    context.events.push(makeEvent("tx", { signature: toBase64(tx.signatures[index]) }));
  });
}

/** Returns the unique signers of the messages, in order, after the stateless checks. */
function validateBasic(context: TxContext, tx: DecodedTx): string[] {
  const signers: string[] = [];
  for (const { handler, msg } of tx.msgs) {
    for (const signer of handler.signers(msg)) {
      if (!isValidAddress(signer)) {
        throw sdkError(SDK_CODES.invalidAddress, `invalid signer address '${signer}'`);
      }
      if (!signers.includes(signer)) signers.push(signer);
    }
  }
  if (tx.signatures.length === 0) throw sdkError(SDK_CODES.noSignatures);
  const infos = tx.authInfo.signerInfos;
  if (tx.signatures.length !== infos.length) {
    throw sdkError(
      SDK_CODES.unauthorized,
      `wrong number of signatures; expected ${infos.length}, got ${tx.signatures.length}`,
    );
  }
  if (infos.length !== signers.length) {
    throw sdkError(
      SDK_CODES.unauthorized,
      `wrong number of signers; expected ${signers.length}, got ${infos.length}`,
    );
  }
  if ([...tx.body.memo].length > MAX_MEMO_CHARACTERS) {
    throw sdkError(
      SDK_CODES.memoTooLarge,
      `maximum number of characters is ${MAX_MEMO_CHARACTERS} but received ${
        [...tx.body.memo].length
      } characters`,
    );
  }
  const timeout = tx.body.timeoutHeight;
  if (timeout > 0n && BigInt(context.height) > timeout) {
    throw sdkError(
      SDK_CODES.txTimeoutHeight,
      `block height: ${context.height}, timeout height: ${timeout}`,
    );
  }
  return signers;
}

/** Checks the fee against the minimum gas price and moves it to the fee collector. */
function deductFee(context: TxContext, tx: DecodedTx, firstSigner: string) {
  const fee = tx.authInfo.fee;
  if (fee === undefined) throw sdkError(SDK_CODES.invalidRequest, "fee is missing");
  if (fee.granter !== "") {
    throw sdkError(SDK_CODES.notSupported, "fee grants are not supported by the devnet");
  }
  if (fee.payer !== "" && fee.payer !== firstSigner) {
    throw sdkError(
      SDK_CODES.notSupported,
      "a fee payer other than the first signer is not supported by the devnet",
    );
  }
  const amounts = parseCoins(fee.amount);
  const { feeDenom, minGasPrice } = context.params;
  if (!context.simulate && minGasPrice > 0n) {
    const required = fee.gasLimit * minGasPrice;
    const paid = amounts.find((coin) => coin.denom === feeDenom)?.amount ?? 0n;
    if (paid < required) {
      throw sdkError(
        SDK_CODES.insufficientFee,
        `got: ${
          formatCoins(amounts) || "0" + feeDenom
        } required: ${required}${feeDenom}, minGasPrice: ${minGasPrice}${feeDenom}`,
      );
    }
  }
  if (!context.state.accounts.has(firstSigner)) {
    throw sdkError(SDK_CODES.unknownAddress, `fee payer address: ${firstSigner} does not exist`);
  }
  if (amounts.length > 0) {
    transfer(
      context.state,
      context.gas,
      { from: firstSigner, to: FEE_COLLECTOR, amounts },
      context.events,
    );
  } else if (context.simulate) {
    // cosmjs simulates with an empty fee, so the SDK skips the fee transfer and its gas. The
    // delivered transaction then can outgrow the 1.4 × estimate, so the double charges that gas.
    // NOTE: this makes simulated gas higher than the SDK's.
    chargeTransferGas(context.gas, 1);
  }
  context.events.push(makeEvent("tx", { fee: formatCoins(amounts), fee_payer: firstSigner }));
}

/** Returns the signer's account after setting its public key from the signer info if unset. */
function setPubKey(context: TxContext, tx: DecodedTx, signer: string, index: number): Account {
  context.gas.read(ACCOUNT_ENTRY_BYTES);
  const account = context.state.accounts.get(signer);
  if (account === undefined) {
    throw sdkError(SDK_CODES.unknownAddress, `account ${signer} does not exist`);
  }
  const info = tx.authInfo.signerInfos[index];
  checkSignMode(context, info);
  const key = decodePubKey(info);
  if (key === undefined) {
    if (account.pubKey === undefined && !context.simulate) {
      throw sdkError(SDK_CODES.invalidPubKey, `pubkey on account ${signer} is not set`);
    }
    return account;
  }
  if (addressFromPubkey(key) !== signer) {
    throw sdkError(
      SDK_CODES.invalidPubKey,
      `pubKey does not match signer address ${signer} with signer index: ${index}`,
    );
  }
  if (account.pubKey === undefined) {
    account.pubKey = key;
    context.gas.write(ACCOUNT_ENTRY_BYTES);
  }
  return account;
}

function checkSignMode(context: TxContext, info: SignerInfo) {
  const mode = info.modeInfo?.single?.mode;
  if (info.modeInfo?.multi !== undefined) {
    throw sdkError(SDK_CODES.notSupported, "multisig signers are not supported by the devnet");
  }
  const allowed = mode === SignMode.SIGN_MODE_DIRECT ||
    (context.simulate && mode === SignMode.SIGN_MODE_UNSPECIFIED);
  if (!allowed) {
    throw sdkError(
      SDK_CODES.notSupported,
      `sign mode ${mode} is not supported by the devnet; use SIGN_MODE_DIRECT`,
    );
  }
}

function decodePubKey(info: SignerInfo): Uint8Array | undefined {
  const any = info.publicKey;
  if (any === undefined) return undefined;
  if (any.typeUrl !== SECP256K1_PUBKEY_TYPE_URL) {
    throw sdkError(SDK_CODES.invalidPubKey, `unsupported public key type ${any.typeUrl}`);
  }
  const { key } = PubKey.decode(any.value);
  if (key.length !== 33 || (key[0] !== 2 && key[0] !== 3)) {
    throw sdkError(SDK_CODES.invalidPubKey, "secp256k1 public key must be 33 compressed bytes");
  }
  return key;
}

function verifySignature(context: TxContext, tx: DecodedTx, account: Account, index: number) {
  const signDoc = SignDoc.encode({
    bodyBytes: tx.bodyBytes,
    authInfoBytes: tx.authInfoBytes,
    chainId: context.params.chainId,
    accountNumber: account.accountNumber,
  }).finish();
  if (!verifySecp256k1(tx.signatures[index], sha256(signDoc), account.pubKey!)) {
    throw sdkError(
      SDK_CODES.unauthorized,
      `signature verification failed; please verify account number (${account.accountNumber}), ` +
        `sequence (${account.sequence}) and chain-id (${context.params.chainId})`,
    );
  }
}

/** Verifies a 64-byte r‖s signature with low S over `hash`, as CometBFT secp256k1 does. */
export function verifySecp256k1(
  signature: Uint8Array,
  hash: Uint8Array,
  pubKey: Uint8Array,
): boolean {
  if (signature.length !== 64) return false;
  const s = BigInt(
    "0x" + Array.from(signature.slice(32), (b) => b.toString(16).padStart(2, "0")).join(""),
  );
  if (s > HALF_ORDER) return false;
  try {
    return Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(signature), hash, pubKey);
  } catch {
    return false;
  }
}
