/**
 * The node function a new project uses: the CID of our Allora inference function package and
 * the `.wasm` file to run inside it.
 *
 * @module
 */

/**
 * CID (`function_id`) of the Allora inference function package built from
 * `build/allora-inference-function.wasm`. `package_test.ts` fails when the module changes and
 * this value does not, so rebuilding the function means updating it.
 */
export const FUNCTION_ID = "bafybeia3nkuqi25c55esvsevcaaaisxgsibs5r55v7rq5ieqrinmtsowcu";
/** File name of the module inside the package (`method`). */
export const FUNCTION_METHOD = "allora-inference-function.wasm";
