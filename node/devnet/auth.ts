/**
 * x/auth queries for the chain double: the account (a BaseAccount packed in an Any), which
 * cosmjs reads for the account number and sequence before signing.
 *
 * @module
 */
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { isValidAddress } from "./address.ts";
import { grpcError } from "./errors.ts";
import type { AppModule } from "./module.ts";
import { SECP256K1_PUBKEY_TYPE_URL } from "./tx_schema.ts";

/** The auth module: the Account query. */
export const authModule: AppModule = {
  name: "auth",
  queries: [
    {
      path: "/cosmos.auth.v1beta1.Query/Account",
      handle({ state }, bytes) {
        const { address } = QueryAccountRequest.decode(bytes);
        if (!isValidAddress(address)) {
          throw grpcError("InvalidArgument", `invalid address: '${address}'`);
        }
        const account = state.accounts.get(address);
        if (account === undefined) {
          throw grpcError("NotFound", `account ${address} not found`);
        }
        const baseAccount = BaseAccount.encode({
          address,
          pubKey: account.pubKey === undefined ? undefined : {
            typeUrl: SECP256K1_PUBKEY_TYPE_URL,
            value: PubKey.encode({ key: account.pubKey }).finish(),
          },
          accountNumber: account.accountNumber,
          sequence: account.sequence,
        }).finish();
        return QueryAccountResponse.encode({
          account: { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: baseAccount },
        }).finish();
      },
    },
  ],
};
