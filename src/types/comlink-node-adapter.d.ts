// comlink ships its Node adapter without a declaration next to the .mjs file.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  /* eslint-disable @typescript-eslint/no-explicit-any -- mirrors comlink's own node-adapter.d.ts */
  interface NodeEndpoint {
    postMessage(message: any, transfer?: any[]): void;
    on(type: string, listener: (value: any) => void, options?: object): void;
    off(type: string, listener: (value: any) => void, options?: object): void;
    start?: () => void;
  }
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
