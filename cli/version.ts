/** Version of the allora toolkit, printed by `allora --version`. Kept equal to deno.json's. */
export const VERSION = "0.1.0";
