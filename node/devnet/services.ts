/**
 * Query services outside x/bank and x/auth: the transaction service's Simulate (gas
 * estimation for cosmjs "auto" fees) and the feemarket gas price.
 *
 * @module
 */
import { DecCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import type { TxOutcome } from "./app.ts";
import { grpcError, SDK_CODES, sdkError } from "./errors.ts";
import type { AppModule, ChainParams } from "./module.ts";

/** Returns the module serving `/cosmos.tx.v1beta1.Service/Simulate` through `simulate`. */
export function txServiceModule(simulate: (bytes: Uint8Array) => TxOutcome): AppModule {
  return {
    name: "tx",
    queries: [{
      path: "/cosmos.tx.v1beta1.Service/Simulate",
      handle(_context, bytes) {
        const request = SimulateRequest.decode(bytes);
        if (request.txBytes.length === 0) {
          throw grpcError("InvalidArgument", "empty txBytes is not allowed");
        }
        const outcome = simulate(request.txBytes);
        if (outcome.code !== 0) {
          // The SDK's tx service reports a failed simulation as gRPC Unknown, which becomes an
          // unknown-request error quoting the cause; simulation runs without a gas limit.
          throw sdkError(
            SDK_CODES.unknownRequest,
            `rpc error: code = Unknown desc = ${outcome.log} With gas wanted: '${UINT64_MAX}' ` +
              `and gas used: '${outcome.gasUsed}' `,
          );
        }
        return SimulateResponse.encode({
          gasInfo: { gasWanted: outcome.gasWanted, gasUsed: outcome.gasUsed },
          result: {
            data: new Uint8Array(),
            log: "",
            events: outcome.events.map((event) => ({
              type: event.type,
              attributes: event.attributes,
            })),
            msgResponses: outcome.msgResponses,
          },
        }).finish();
      },
    }],
  };
}

const UINT64_MAX = (1n << 64n) - 1n;

// feemarket.feemarket.v1: GasPriceRequest{denom=1}, GasPriceResponse{price=1 DecCoin},
// GasPricesRequest{}, GasPricesResponse{prices=1 repeated DecCoin}.
function readDenom(bytes: Uint8Array): string {
  const reader = new BinaryReader(bytes);
  let denom = "";
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === 2) denom = reader.string();
    else reader.skipType(tag & 7);
  }
  return denom;
}

function encodePrices(prices: DecCoin[]): Uint8Array {
  const writer = BinaryWriter.create();
  for (const price of prices) DecCoin.encode(price, writer.uint32(10).fork()).ldelim();
  return writer.finish();
}

// A LegacyDec travels in protobuf as its atomics: the value times 10^18 as an integer string
// (big.Int MarshalText in cosmossdk.io/math). The point form is for JSON only.
const LEGACY_DEC_ATOMICS = 10n ** 18n;

/** Formats a whole number as the protobuf form of an SDK LegacyDec. */
function legacyDec(value: bigint): string {
  return (value * LEGACY_DEC_ATOMICS).toString();
}

/** Returns the module serving the feemarket GasPrice and GasPrices queries. */
export function feemarketModule(params: ChainParams): AppModule {
  const price = { denom: params.feeDenom, amount: legacyDec(params.minGasPrice) };
  return {
    name: "feemarket",
    queries: [
      {
        path: "/feemarket.feemarket.v1.Query/GasPrice",
        handle(_context, bytes) {
          const denom = readDenom(bytes);
          if (denom !== params.feeDenom) {
            throw grpcError(
              "InvalidArgument",
              `unable to get gas price for denom ${denom}: only ${params.feeDenom} is accepted`,
            );
          }
          return encodePrices([price]);
        },
      },
      {
        path: "/feemarket.feemarket.v1.Query/GasPrices",
        handle: () => encodePrices([price]),
      },
    ],
  };
}
