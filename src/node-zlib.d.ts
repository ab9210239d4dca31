// The part of node:zlib Caravan uses, which workerd provides under the nodejs_compat flag. The
// project does not install @types/node: its globals (Buffer, process, timers) would mix Node's
// types into code that runs on the Workers runtime.
declare module "node:zlib" {
  interface ZlibOptions {
    level?: number;
  }
  interface BrotliOptions {
    params?: Record<number, number>;
  }
  export function gzipSync(data: Uint8Array, options?: ZlibOptions): Uint8Array;
  export function gunzipSync(data: Uint8Array): Uint8Array;
  export function brotliCompressSync(data: Uint8Array, options?: BrotliOptions): Uint8Array;
  export function brotliDecompressSync(data: Uint8Array): Uint8Array;
  export const constants: {
    BROTLI_PARAM_QUALITY: number;
    BROTLI_PARAM_SIZE_HINT: number;
    BROTLI_PARAM_MODE: number;
    BROTLI_MODE_TEXT: number;
  };
}
