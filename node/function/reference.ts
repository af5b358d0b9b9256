/**
 * The node function a new project uses: the CID of our Allora inference function package and
 * the `.wasm` file to run inside it.
 *
 * @module
 */

// TODO: replace with the CID computed from the built function package once it is embedded.
/** CID (`function_id`) of the Allora inference function package. */
export const FUNCTION_ID = "bafybeiallorainferencefunctionplaceholder";
/** File name of the module inside the package (`method`). */
export const FUNCTION_METHOD = "allora-inference-function.wasm";
